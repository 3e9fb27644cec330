using Grpc.Core;
using Shoal.Client.Native;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Server.Native.Internal;

/// <summary>
/// One call on the server and the <see cref="ServerCallContext"/> its handler sees. The
/// cancellation source is made only when someone asks for the token or the handler goes async
/// with a deadline, so a unary call that completes synchronously allocates nothing for it.
/// </summary>
/// <remarks>
/// A call that outlives its start on the read loop (registered, or handed over while its handler
/// blocked) holds one of the connection's call slots until both its outcome is decided and its
/// handler has returned: a call the client cancelled, or whose deadline passed, keeps counting while
/// its handler runs on, so cancelling calls cannot start unbounded handlers (HTTP/2 rapid reset).
/// The three facts are bits of one field, and whoever sets the last one gives the slot back.
/// </remarks>
internal abstract partial class ServerCall : ServerCallContext
{
    private readonly string _host;
    private readonly DateTime _deadline;
    private readonly Metadata? _requestHeaders;
    private readonly long _observerToken;
    private readonly System.Diagnostics.Activity? _activity;
    private readonly long _metricsToken;
    private Metadata? _responseTrailers;
    private Status _status;
    private WriteOptions? _writeOptions;
    private CancellationTokenSource? _cts;
    private volatile bool _cancelRequested;
    private volatile bool _deadlineExceeded;
    private int _state;
    private NativeFrameBudget? _requestBudget;
    private int _requestReserved;
    private IDictionary<object, object>? _userState;

    private const int Completed = 1;
    private const int HandlerDone = 2;
    private const int HoldsSlot = 4;
    private const int SlotReleased = 8;
    private const int SlotDone = Completed | HandlerDone | HoldsSlot;

    protected ServerCall(ServerConnection connection, ServerMethod method, uint id, string host, DateTime deadline, Metadata? requestHeaders)
    {
        Connection = connection;
        Definition = method;
        Id = id;
        _host = host;
        _deadline = deadline;
        _requestHeaders = requestHeaders;
        _observerToken = connection.Options.CallObserver?.OnCallStarted(method.FullName) ?? 0;
        _activity = Shoal.Telemetry.RpcActivities.StartServer(method.FullName, "shoal", requestHeaders);
        _metricsToken = Shoal.Telemetry.RpcMetrics.ServerStarted(method.FullName, Shoal.Telemetry.RpcMetrics.Native);
    }

    public ServerConnection Connection { get; }

    public ServerMethod Definition { get; }

    public uint Id { get; }

    /// <summary>Set by the connection while the call is in its table (guarded by the table's lock).</summary>
    public bool Registered { get; set; }

    /// <summary>Whether the call's outcome is decided (trailers sent, or cancelled by the peer).</summary>
    public bool IsCompleted => (Volatile.Read(ref _state) & Completed) != 0;

    /// <summary>Whether response headers went out already (explicitly or implied by a message).</summary>
    protected bool HeadersSent { get; set; }

    protected override string MethodCore => Definition.FullName;

    protected override string HostCore => _host.Length == 0 ? Connection.LocalAuthority : _host;

    protected override string PeerCore => Connection.Peer;

    protected override DateTime DeadlineCore => _deadline;

    protected override Metadata RequestHeadersCore => _requestHeaders ?? EmptyHeaders();

    protected override CancellationToken CancellationTokenCore => (_cts ?? EnsureCancellation()).Token;

    protected override Metadata ResponseTrailersCore => _responseTrailers ??= [];

    protected override Status StatusCore
    {
        get => _status;
        set => _status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => _writeOptions;
        set => _writeOptions = value;
    }

    protected override AuthContext AuthContextCore => Connection.AuthContext;

    // Made when first asked for, with the HttpContext grpc-dotnet's GetHttpContext() reads; an
    // authorized call replaces it with the authenticated one before its handler runs.
    protected override IDictionary<object, object> UserStateCore
        => _userState ??= new Dictionary<object, object> { [NativeHttpContext.UserStateKey] = NativeHttpContext.Create(this, null, null) };

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options)
        => Shoal.Context.ShoalCallContext.CreatePropagationToken(this, options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders)
    {
        if (IsCompleted)
        {
            throw new InvalidOperationException("The call is already finished.");
        }
        lock (Connection.Writer.SyncRoot)
        {
            if (HeadersSent)
            {
                throw new InvalidOperationException("Response headers can only be sent once per call.");
            }
            if (!Connection.Writer.IsClosed)
            {
                var output = Connection.Writer.Buffer;
                var start = output.BeginFrame(FrameType.ResponseHeaders, FrameFlags.None, Id);
                if (!MetadataCodec.Write(output, responseHeaders))
                {
                    // The client would take the frame for a protocol error: fail this call instead.
                    output.Rollback(start);
                    throw new RpcException(new Status(StatusCode.ResourceExhausted, MetadataTooLargeException.ResponseDetail));
                }
                output.EndFrame(start);
            }
            HeadersSent = true;
        }
        Connection.Writer.RequestFlush();
        return Task.CompletedTask;
    }

    /// <summary>Makes sure the deadline timer runs (called when the handler goes async).</summary>
    public void ArmDeadline()
    {
        if (_deadline != DateTime.MaxValue && _cts is null)
        {
            EnsureCancellation();
        }
    }

    /// <summary>The client cancelled the call or the connection went away: no trailers are sent.</summary>
    public void Abort()
    {
        _cancelRequested = true;
        var first = MarkCompleted();
        // The token first: a handler woken by its failed streams then already sees it cancelled.
        CancelToken();
        if (first)
        {
            Connection.Options.CallObserver?.OnCallCompleted(_observerToken, StatusCode.Cancelled);
            Shoal.Telemetry.RpcActivities.Stop(_activity, StatusCode.Cancelled);
            Shoal.Telemetry.RpcMetrics.ServerCompleted(_metricsToken, Definition.FullName, Shoal.Telemetry.RpcMetrics.Native, StatusCode.Cancelled);
            Connection.Unregister(this);
            OnAborted();
        }
    }

    /// <summary>Ends the call's span, if it has one, and records its metrics.</summary>
    private void StopActivity(Grpc.Core.Status status)
    {
        Shoal.Telemetry.RpcActivities.Stop(_activity, status.StatusCode, status.Detail);
        Shoal.Telemetry.RpcMetrics.ServerCompleted(_metricsToken, Definition.FullName, Shoal.Telemetry.RpcMetrics.Native, status.StatusCode);
    }

    /// <summary>Takes a call slot for this call unless it holds one (registration, or a hand-over of its blocked handler).</summary>
    public void TakeSlot()
    {
        Connection.AcquireSlot();
        if ((Interlocked.Or(ref _state, HoldsSlot) & HoldsSlot) != 0)
        {
            Connection.ReleaseSlot();
            return;
        }
        ReleaseSlotIfDone();
    }

    /// <summary>
    /// Keeps the frame budget's reservation for this call's request (a large inline request) until
    /// the handler returns: the handler holds the request, so the budget bounds large requests being
    /// handled as well as those arriving.
    /// </summary>
    public void HoldRequestReservation() => _requestReserved = Connection.TakeFrameReservation(out _requestBudget);

    /// <summary>The handler returned (its task completed, or it threw): called once per call that ran one.</summary>
    public void OnHandlerReturned()
    {
        if (_requestReserved > 0)
        {
            _requestBudget!.Release(_requestReserved);
            _requestReserved = 0;
        }
        Interlocked.Or(ref _state, HandlerDone);
        ReleaseSlotIfDone();
    }

    /// <summary>Decides the outcome once; true for the caller that did.</summary>
    private bool MarkCompleted()
    {
        if ((Interlocked.Or(ref _state, Completed) & Completed) != 0)
        {
            return false;
        }
        ReleaseSlotIfDone();
        return true;
    }

    /// <summary>Whoever sets the last of the three bits (and wins the release bit) gives the slot back, once.</summary>
    private void ReleaseSlotIfDone()
    {
        if ((Volatile.Read(ref _state) & SlotDone) == SlotDone && (Interlocked.Or(ref _state, SlotReleased) & SlotReleased) == 0)
        {
            Connection.ReleaseSlot();
        }
    }

    /// <summary>Streams fail their waiters here.</summary>
    protected virtual void OnAborted()
    {
    }

    private CancellationTokenSource EnsureCancellation()
    {
        var cts = new CancellationTokenSource();
        if (Interlocked.CompareExchange(ref _cts, cts, null) is { } existing)
        {
            cts.Dispose();
            return existing;
        }
        if (_deadline != DateTime.MaxValue)
        {
            cts.Token.UnsafeRegister(static state => ((ServerCall)state!).OnTokenCancelled(), this);
            var remaining = _deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                cts.Cancel();
            }
            else
            {
                cts.CancelAfter(remaining);
            }
        }
        if (_cancelRequested || IsCompleted)
        {
            cts.Cancel();
        }
        return cts;
    }

    private void CancelToken()
    {
        if (Volatile.Read(ref _cts) is { } cts)
        {
            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private void OnTokenCancelled()
    {
        // Only three things cancel the source: the client (Abort), completion, and the deadline timer.
        if (!_cancelRequested && !IsCompleted)
        {
            _deadlineExceeded = true;
            Complete(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
            Connection.OnCallExpired();
        }
    }

    private static Metadata EmptyHeaders() => [];
}
