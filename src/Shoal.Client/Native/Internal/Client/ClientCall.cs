using System.Diagnostics;
using Grpc.Core;
using Shoal.Connections;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// One call on the client, of any of the four kinds. It is itself the
/// <see cref="TaskCompletionSource{TResult}"/> of the single response (unary and client streaming),
/// which saves an allocation per call; the response-headers task is made only when asked for. Its
/// small amount of shared state is guarded by locking the call itself (no lock object per call).
/// </summary>
internal sealed partial class ClientCall<TRequest, TResponse> : TaskCompletionSource<TResponse>, IClientCall, IOutboundOwner
    where TRequest : class
    where TResponse : class
{
    private readonly Method<TRequest, TResponse> _method;
    private readonly NativeClientConnection _connection;
    private readonly CallOptions _options;
    private Metadata? _credentialHeaders;
    private readonly string? _host;
    private ClientTransport? _transport;
    private uint _id;
    private int _completed;
    private Status _status;
    private Metadata? _trailers;
    private Metadata? _headers;
    private bool _headersReceived;
    private bool _outcomeRecorded;
    private bool _cancelledByCaller;
    private TaskCompletionSource<Metadata>? _headersTask;
    private CancellationTokenRegistration _cancellation;
    private ITimer? _deadlineTimer;
    private CancellationTokenSource? _callCts;
    private IUnaryCallObserver? _observer;
    private long _observedSince;

    private static readonly TimeSpan NotTimed = TimeSpan.FromTicks(-1);

    /// <param name="connection">The connection.</param>
    /// <param name="method">The method.</param>
    /// <param name="host">The host override, if any.</param>
    /// <param name="options">The caller's options.</param>
    /// <param name="asyncContinuations">Whether the response task runs its continuations asynchronously.</param>
    /// <param name="redirectableRequest">
    /// A unary call's request when its observer may send it elsewhere should the server refuse it
    /// (see <see cref="TryRedirect"/>). It rides as the response task's state, so calls carry no extra field for it.
    /// </param>
    public ClientCall(NativeClientConnection connection, Method<TRequest, TResponse> method, string? host, CallOptions options, bool asyncContinuations,
        TRequest? redirectableRequest = null)
        : base(redirectableRequest, asyncContinuations ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None)
    {
        _connection = connection;
        _host = host;
        _method = method;
        _options = options;
    }

    public bool IsCompleted => Volatile.Read(ref _completed) == Completed;

    /// <summary>Reports the end of the call to <paramref name="observer"/> (set before <c>Start</c>); when <paramref name="timed"/>, the clock starts now.</summary>
    public void ObserveWith(IUnaryCallObserver observer, bool timed)
    {
        _observer = observer;
        _observedSince = timed ? Stopwatch.GetTimestamp() : 0;
    }

    public Task<Metadata> ResponseHeadersAsync
    {
        get
        {
            lock (this)
            {
                if (_headersTask is null)
                {
                    _headersTask = new TaskCompletionSource<Metadata>(TaskCreationOptions.RunContinuationsAsynchronously);
                    if (_headersReceived)
                    {
                        _headersTask.TrySetResult(_headers ?? []);
                    }
                    else if (_outcomeRecorded)
                    {
                        _headersTask.TrySetException(new RpcException(_status, _trailers ?? []));
                    }
                }
                return _headersTask.Task;
            }
        }
    }

    public Status GetStatus() => IsCompleted
        ? _status
        : throw new InvalidOperationException("The status is only known once the call has finished.");

    public Metadata GetTrailers() => IsCompleted
        ? _trailers ?? []
        : throw new InvalidOperationException("Trailers are only known once the call has finished.");

    public void Dispose()
    {
        if (!IsCompleted)
        {
            CancelByCaller();
            return;
        }
        // Responses the application never read give their bytes back to the connection window.
        _responses?.Fail(new ObjectDisposedException(GetType().Name, "The call was disposed."), dropQueued: true);
    }

    /// <summary>The caller cancelled its token or disposed the call: ends it, and its observer knows whose doing it was.</summary>
    private void CancelByCaller()
    {
        _cancelledByCaller = true;
        Cancel(StatusCode.Cancelled, "Call canceled by the client.");
    }

    /// <summary>Ends the call locally (cancellation, deadline) and tells the server.</summary>
    private void Cancel(StatusCode code, string detail)
    {
        if (!TryFinish(new Status(code, detail), null, null, dropQueued: true))
        {
            return;
        }
        if (_transport is { } transport && _id != 0)
        {
            transport.SendCancel(_id, code, detail);
        }
    }

    /// <summary>Records the outcome once and releases waiters. Returns false when the call had already finished.</summary>
    private bool TryFinish(Status status, Metadata? trailers, TResponse? response, bool dropQueued)
    {
        if (status.StatusCode == StatusCode.Unavailable && Task.AsyncState is not null && TryRedirect(status))
        {
            // Held open: the observer ends it through IRefusedUnaryCall (or the caller cancels it meanwhile).
            return false;
        }
        var previous = Interlocked.Exchange(ref _completed, Completed);
        if (previous == Completed)
        {
            return false;
        }
        TaskCompletionSource<Metadata>? headersTask;
        lock (this)
        {
            _status = status;
            _trailers = trailers;
            _outcomeRecorded = true;
            headersTask = _headersTask;
        }
        _deadlineTimer?.Dispose();
        _cancellation.Dispose();
        _callCts?.Cancel();
        if (headersTask is not null)
        {
            if (_headersReceived)
            {
                headersTask.TrySetResult(_headers ?? []);
            }
            else
            {
                headersTask.TrySetException(new RpcException(status, trailers ?? []));
            }
        }
        OnFinished(status, trailers, dropQueued);
        if (previous == Open && _observer is { } observer)
        {
            // Before the caller's continuation runs, so its next pick already sees this call as done.
            try
            {
                observer.OnUnaryCallCompleted(status.StatusCode, _observedSince != 0 ? Stopwatch.GetElapsedTime(_observedSince) : NotTimed, _cancelledByCaller);
            }
            catch (Exception)
            {
                // An observer must not throw; if one does, the call still completes.
            }
        }
        if (_method.Type is MethodType.ServerStreaming or MethodType.DuplexStreaming)
        {
            // The single-response task is not used by these kinds; leave it pending so no fault goes unobserved.
        }
        else if (_transport is not { } transport || !transport.TryCompleteInline(this, response))
        {
            SetOutcome(status, trailers, response);
        }
        return true;
    }

    /// <inheritdoc/>
    public void CompleteDeferred(object? state) => SetOutcome(_status, _trailers, (TResponse?)state);

    /// <summary>Completes the response task, which runs the caller's continuation (inline unless the options say otherwise).</summary>
    private void SetOutcome(Status status, Metadata? trailers, TResponse? response)
    {
        if (status.StatusCode == StatusCode.OK && response is not null)
        {
            TrySetResult(response);
        }
        else
        {
            TrySetException(new RpcException(status.StatusCode == StatusCode.OK ? new Status(StatusCode.Internal, "The server sent no response message.") : status, trailers ?? []));
        }
    }

    public void Fail(Status status) => TryFinish(status, null, null, dropQueued: status.StatusCode == StatusCode.Cancelled);
}
