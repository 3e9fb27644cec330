using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// The send credit in message bytes of one call, or of a whole connection. A message may be sent
/// while the credit is above zero (it may then go negative by that one message), so buffering at the
/// receiver is bounded by the window plus one message. Writers wait here for the peer's WindowUpdate.
/// Credit never exceeds <see cref="ProtocolConstants.MaxHonouredWindow"/>, whatever the peer grants.
/// </summary>
/// <remarks>
/// The credit is one atomic counter: a message's <see cref="Consume"/> and a grant's <see cref="Add"/>
/// take no lock. The lock guards only the waiter: a writer that found no credit checks again and
/// parks under it, and a grant that raised the credit above zero takes the waiter under it, so a
/// grant either comes before that check (the writer sees the credit) or finds the waiter.
/// </remarks>
internal sealed class SendWindow(int initial)
{
    private readonly Lock _lock = new();
    private long _credit = Math.Min(initial, ProtocolConstants.MaxHonouredWindow);
    private TaskCompletionSource? _waiter;
    private Exception? _error;

    /// <summary>
    /// The credit now (once per message): writers consume under the writer's lock and check this under
    /// it too, so only a grant can change it meanwhile, and a grant only raises it.
    /// </summary>
    public long Credit => Volatile.Read(ref _credit);

    /// <summary>Completes when there is credit; throws what <see cref="Fail"/> was given.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _credit) > 0 && Volatile.Read(ref _error) is null)
        {
            // The common case, once per message; a failure racing with it is caught by the write itself.
            return default;
        }
        Task wait;
        lock (_lock)
        {
            if (_error is not null)
            {
                return ValueTask.FromException(_error);
            }
            if (Volatile.Read(ref _credit) > 0)
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

    public void Consume(int bytes) => Interlocked.Add(ref _credit, -Math.Max(bytes, 1));

    public void Add(uint bytes)
    {
        var credit = Volatile.Read(ref _credit);
        while (true)
        {
            var next = Math.Min(credit + bytes, ProtocolConstants.MaxHonouredWindow);
            var seen = Interlocked.CompareExchange(ref _credit, next, credit);
            if (seen == credit)
            {
                credit = next;
                break;
            }
            credit = seen;
        }
        if (credit <= 0)
        {
            return;
        }
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            waiter = _waiter;
            _waiter = null;
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
