using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// The send credit in message bytes of one call, or of a whole connection. A message may be sent
/// while the credit is above zero (it may then go negative by that one message), so buffering at the
/// receiver is bounded by the window plus one message. Writers wait here for the peer's WindowUpdate.
/// Credit never exceeds <see cref="ProtocolConstants.MaxHonouredWindow"/>, whatever the peer grants.
/// </summary>
internal sealed class SendWindow(int initial)
{
    private readonly Lock _lock = new();
    private long _credit = Math.Min(initial, ProtocolConstants.MaxHonouredWindow);
    private TaskCompletionSource? _waiter;
    private Exception? _error;

    public long Credit
    {
        get
        {
            lock (_lock)
            {
                return _credit;
            }
        }
    }

    /// <summary>Completes when there is credit; throws what <see cref="Fail"/> was given.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        Task wait;
        lock (_lock)
        {
            if (_error is not null)
            {
                return ValueTask.FromException(_error);
            }
            if (_credit > 0)
            {
                return default;
            }
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _waiter.Task;
        }
        return WaitSlowAsync(wait, cancellationToken);
    }

    private async ValueTask WaitSlowAsync(Task wait, CancellationToken cancellationToken)
    {
        await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        await WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Consume(int bytes)
    {
        lock (_lock)
        {
            _credit -= Math.Max(bytes, 1);
        }
    }

    public void Add(uint bytes)
    {
        TaskCompletionSource? waiter = null;
        lock (_lock)
        {
            _credit = Math.Min(_credit + bytes, ProtocolConstants.MaxHonouredWindow);
            if (_credit > 0)
            {
                waiter = _waiter;
                _waiter = null;
            }
        }
        waiter?.TrySetResult();
    }

    public void Fail(Exception error)
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            _error ??= error;
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetException(error);
    }
}
