using Grpc.Core;

namespace Shoal.Transport.Native.Internal;

/// <summary>
/// The messages of one call's incoming stream (requests on the server, responses on the client).
/// The read loop deserializes each message and enqueues it; <see cref="MoveNext"/> hands them out
/// and returns their bytes as flow-control credit. Bounded by the receive window.
/// </summary>
internal sealed class InboundStream<T>(FrameWriter writer, uint callId, ReceiveWindow window) : IAsyncStreamReader<T>
    where T : class
{
    private static readonly Task<bool> s_true = Task.FromResult(true);
    private static readonly Task<bool> s_false = Task.FromResult(false);

    private readonly Lock _lock = new();
    private readonly Queue<(T Message, int Size)> _queue = new();
    private TaskCompletionSource<bool>? _waiter;
    private bool _completed;
    private Exception? _error;
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        int size;
        lock (_lock)
        {
            if (_waiter is not null)
            {
                throw new InvalidOperationException("A MoveNext is already pending.");
            }
            if (_queue.TryDequeue(out var next))
            {
                _current = next.Message;
                size = next.Size;
            }
            else if (_error is not null)
            {
                return Task.FromException<bool>(_error);
            }
            else if (_completed)
            {
                return s_false;
            }
            else
            {
                cancellationToken.ThrowIfCancellationRequested();
                _waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                var task = _waiter.Task;
                if (cancellationToken.CanBeCanceled)
                {
                    return WithCancellation(task, cancellationToken);
                }
                return task;
            }
        }
        window.OnConsumed(size, writer, callId);
        return s_true;
    }

    private async Task<bool> WithCancellation(Task<bool> task, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static (state, token) => ((InboundStream<T>)state!).CancelWaiter(token), this))
        {
            return await task.ConfigureAwait(false);
        }
    }

    private void CancelWaiter(CancellationToken token)
    {
        TaskCompletionSource<bool>? waiter;
        lock (_lock)
        {
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetCanceled(token);
    }

    /// <summary>A message arrived (read loop).</summary>
    public void Enqueue(T message, int size)
    {
        TaskCompletionSource<bool>? waiter;
        lock (_lock)
        {
            if (_completed || _error is not null)
            {
                return;
            }
            waiter = _waiter;
            _waiter = null;
            if (waiter is null)
            {
                _queue.Enqueue((message, size));
                return;
            }
            _current = message;
        }
        window.OnConsumed(size, writer, callId);
        waiter.TrySetResult(true);
    }

    /// <summary>The sender ended the stream: MoveNext returns false once the queue is empty.</summary>
    public void Complete()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_lock)
        {
            _completed = true;
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetResult(false);
    }

    /// <summary>The call failed: MoveNext throws <paramref name="error"/> once the queue is empty.</summary>
    public void Fail(Exception error, bool dropQueued)
    {
        TaskCompletionSource<bool>? waiter;
        lock (_lock)
        {
            if (_completed && !dropQueued)
            {
                return;
            }
            _error ??= error;
            if (dropQueued)
            {
                _queue.Clear();
            }
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetException(error);
    }
}
