using Grpc.Core;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// The messages of one call's incoming stream (requests on the server, responses on the client).
/// The read loop deserializes each message and enqueues it; <see cref="MoveNext"/> hands them out
/// and returns their bytes as flow-control credit, to the call's window and to the connection's.
/// Bounded by the receive windows. Messages dropped unread (the call ended) give their bytes back
/// to the connection window, which the other calls share.
/// </summary>
/// <remarks>
/// With an <paramref name="inlineHost"/>, a message that finds a reader waiting completes its wait
/// on the read loop, as a unary response does (no thread hop per message; what the reader then
/// writes is flushed with the read's batch), and the watchdog takes the loop from a reader that
/// blocks there. Every other completion (the end of the stream, a failure, a cancelled wait) runs
/// the reader's continuation on the thread pool, as it does without a host.
/// <para>
/// A reader's cancellable token is registered at its first wait and stays registered for the waits
/// after it: a reader waits on the same token for every message (its call's), and registering and
/// unregistering it around each wait cost a cancellation-source lock each way per message. The
/// callback cancels whichever wait on that token is pending; a cancellation between waits is seen by the
/// next wait's check of the token. The registration goes when the reader waits on another token and
/// when the stream ends (<see cref="Complete"/>, <see cref="Fail"/>), so a long-lived token does not hold
/// an ended stream.
/// </para>
/// </remarks>
internal sealed class InboundStream<T>(FrameWriter writer, uint callId, ReceiveWindow window, ReceiveWindow? connectionWindow, IInlineHandlerHost? inlineHost = null)
    : IAsyncStreamReader<T>, IDeferredCompletion
    where T : class
{
    private static readonly Task<bool> s_true = Task.FromResult(true);
    private static readonly Task<bool> s_false = Task.FromResult(false);

    private SpinGate _gate;
    private readonly Queue<(T Message, int Size, bool Grant)> _queue = new();
    private TaskCompletionSource<bool>? _waiter;
    private CancellationToken _waiterToken;
    private CancellationTokenRegistration _registration;
    private CancellationToken _registeredToken;
    private bool _completed;
    private Exception? _error;
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        var size = 0;
        var grant = false;
        TaskCompletionSource<bool>? waiter = null;
        using (_gate.Hold())
        {
            if (_waiter is not null)
            {
                throw new InvalidOperationException("A MoveNext is already pending.");
            }
            if (_queue.TryDequeue(out var next))
            {
                _current = next.Message;
                size = next.Size;
                grant = next.Grant;
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
                waiter = _waiter = new TaskCompletionSource<bool>(inlineHost is null ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None);
                _waiterToken = cancellationToken;
                if (!cancellationToken.CanBeCanceled || cancellationToken == _registeredToken)
                {
                    return waiter.Task;
                }
            }
        }
        if (waiter is null)
        {
            Consumed(size, grant);
            return s_true;
        }
        return WatchCancellation(waiter, cancellationToken);
    }

    /// <summary>
    /// Registers a token the stream has no registration for, outside the gate (a token cancelled meanwhile
    /// runs the callback at once, which cancels the wait if it is still pending), and keeps it for the
    /// waits after this one in place of the registration of an earlier token. A stream that ended
    /// meanwhile keeps none.
    /// </summary>
    private Task<bool> WatchCancellation(TaskCompletionSource<bool> waiter, CancellationToken cancellationToken)
    {
        var registration = cancellationToken.UnsafeRegister(static (state, token) => ((InboundStream<T>)state!).CancelWaiter(token), this);
        CancellationTokenRegistration replaced;
        using (_gate.Hold())
        {
            if (_completed || _error is not null)
            {
                replaced = registration;
            }
            else
            {
                replaced = _registration;
                _registration = registration;
                _registeredToken = cancellationToken;
            }
        }
        replaced.Unregister();
        return waiter.Task;
    }

    /// <summary>Under the gate, at the end of the stream: takes the token's registration, to unregister it outside.</summary>
    private CancellationTokenRegistration TakeRegistration()
    {
        var registration = _registration;
        _registration = default;
        _registeredToken = default;
        return registration;
    }

    /// <summary>Under the gate: takes the waiter, to complete it outside.</summary>
    private TaskCompletionSource<bool>? TakeWaiter()
    {
        var waiter = _waiter;
        _waiter = null;
        _waiterToken = default;
        return waiter;
    }

    private void Consumed(int size, bool grant)
    {
        if (grant)
        {
            window.OnConsumed(size, writer, callId);
            connectionWindow?.OnConsumed(size, writer, 0);
        }
        else
        {
            window.Release(size);
            connectionWindow?.Release(size);
        }
    }

    private void CancelWaiter(CancellationToken token)
    {
        TaskCompletionSource<bool>? waiter;
        using (_gate.Hold())
        {
            // A callback of an earlier token (its registration being replaced) leaves a wait on another token alone.
            waiter = _waiter is not null && _waiterToken == token ? TakeWaiter() : null;
        }
        if (waiter is not null)
        {
            Release(waiter, result: false, error: null, token);
        }
    }

    /// <summary>
    /// A message arrived (read loop). Returns false when the stream already ended and the message was
    /// dropped (its bytes are the caller's to give back). A message the sender spent no credit on (one
    /// carried in its CallStart) is counted while queued but <paramref name="grant"/> is false: reading
    /// it gives the peer no credit back.
    /// </summary>
    public bool Enqueue(T message, int size, bool grant = true)
    {
        TaskCompletionSource<bool>? waiter;
        using (_gate.Hold())
        {
            if (_completed || _error is not null)
            {
                return false;
            }
            waiter = TakeWaiter();
            if (waiter is null)
            {
                _queue.Enqueue((message, size, grant));
                return true;
            }
            _current = message;
        }
        Consumed(size, grant);
        if (inlineHost is null || !inlineHost.TryCompleteInline(this, waiter))
        {
            Release(waiter, result: true, error: null, CancellationToken.None);
        }
        return true;
    }

    /// <inheritdoc/>
    public void CompleteDeferred(object? state) => ((TaskCompletionSource<bool>)state!).TrySetResult(true);

    /// <summary>The sender ended the stream: MoveNext returns false once the queue is empty.</summary>
    public void Complete()
    {
        TaskCompletionSource<bool>? waiter;
        CancellationTokenRegistration registration;
        using (_gate.Hold())
        {
            _completed = true;
            waiter = TakeWaiter();
            registration = TakeRegistration();
        }
        registration.Unregister();
        if (waiter is not null)
        {
            Release(waiter, result: false, error: null, CancellationToken.None);
        }
    }

    /// <summary>The call failed: MoveNext throws <paramref name="error"/> once the queue is empty.</summary>
    public void Fail(Exception error, bool dropQueued)
    {
        TaskCompletionSource<bool>? waiter;
        CancellationTokenRegistration registration;
        long dropped = 0;
        long droppedUngranted = 0;
        using (_gate.Hold())
        {
            if (_completed && !dropQueued)
            {
                return;
            }
            _error ??= error;
            if (dropQueued)
            {
                while (_queue.TryDequeue(out var item))
                {
                    if (item.Grant)
                    {
                        dropped += Math.Max(item.Size, 1);
                    }
                    else
                    {
                        droppedUngranted += Math.Max(item.Size, 1);
                    }
                }
            }
            waiter = TakeWaiter();
            registration = TakeRegistration();
        }
        registration.Unregister();
        if (dropped > 0)
        {
            connectionWindow?.OnConsumed((int)Math.Min(dropped, int.MaxValue), writer, 0);
        }
        if (droppedUngranted > 0)
        {
            connectionWindow?.Release((int)Math.Min(droppedUngranted, int.MaxValue));
        }
        if (waiter is not null)
        {
            Release(waiter, result: false, error, CancellationToken.None);
        }
    }

    /// <summary>
    /// Completes a wait off the inline path. A waiter made for inline completion runs its continuation
    /// synchronously, so it is completed from the thread pool: a reader's continuation never runs inside
    /// a read loop's frame (outside the watchdog), a call's cancellation or a disposal.
    /// </summary>
    private void Release(TaskCompletionSource<bool> waiter, bool result, Exception? error, CancellationToken cancelled)
    {
        if (inlineHost is null)
        {
            SetOutcome(waiter, result, error, cancelled);
            return;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static s => SetOutcome(s.Waiter, s.Result, s.Error, s.Cancelled), (Waiter: waiter, Result: result, Error: error, Cancelled: cancelled), preferLocal: false);
    }

    private static void SetOutcome(TaskCompletionSource<bool> waiter, bool result, Exception? error, CancellationToken cancelled)
    {
        if (error is not null)
        {
            waiter.TrySetException(error);
        }
        else if (cancelled.IsCancellationRequested)
        {
            waiter.TrySetCanceled(cancelled);
        }
        else
        {
            waiter.TrySetResult(result);
        }
    }
}
