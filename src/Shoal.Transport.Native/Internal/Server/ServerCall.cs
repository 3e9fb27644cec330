using Grpc.Core;

namespace Shoal.Transport.Native.Internal.Server;

/// <summary>
/// One call on the server and the <see cref="ServerCallContext"/> its handler sees. The
/// cancellation source is made only when someone asks for the token or the handler goes async
/// with a deadline, so a unary call that completes synchronously allocates nothing for it.
/// </summary>
internal abstract partial class ServerCall : ServerCallContext
{
    private readonly string _host;
    private readonly DateTime _deadline;
    private readonly Metadata? _requestHeaders;
    private readonly long _observerToken;
    private Metadata? _responseTrailers;
    private Grpc.Core.Status _status;
    private WriteOptions? _writeOptions;
    private CancellationTokenSource? _cts;
    private volatile bool _cancelRequested;
    private volatile bool _deadlineExceeded;
    private int _completed;

    protected ServerCall(ServerConnection connection, ServerMethod method, uint id, string host, DateTime deadline, Metadata? requestHeaders)
    {
        Connection = connection;
        Definition = method;
        Id = id;
        _host = host;
        _deadline = deadline;
        _requestHeaders = requestHeaders;
        _observerToken = connection.Options.CallObserver?.OnCallStarted(method.FullName) ?? 0;
    }

    public ServerConnection Connection { get; }

    public ServerMethod Definition { get; }

    public uint Id { get; }

    /// <summary>Set by the connection while the call is in its table (guarded by the table's lock).</summary>
    public bool Registered { get; set; }

    /// <summary>Whether the call's outcome is decided (trailers sent, or cancelled by the peer).</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>Whether response headers went out already (explicitly or implied by a message).</summary>
    protected bool HeadersSent { get; set; }

    protected override string MethodCore => Definition.FullName;

    protected override string HostCore => _host.Length == 0 ? Connection.LocalAuthority : _host;

    protected override string PeerCore => Connection.Peer;

    protected override DateTime DeadlineCore => _deadline;

    protected override Metadata RequestHeadersCore => _requestHeaders ?? EmptyHeaders();

    protected override CancellationToken CancellationTokenCore => (_cts ?? EnsureCancellation()).Token;

    protected override Metadata ResponseTrailersCore => _responseTrailers ??= [];

    protected override Grpc.Core.Status StatusCore
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

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options)
        => throw new NotSupportedException("Context propagation is not supported by the native transport.");

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
            HeadersSent = true;
            if (!Connection.Writer.IsClosed)
            {
                var output = Connection.Writer.Buffer;
                var start = output.BeginFrame(Protocol.FrameType.ResponseHeaders, Protocol.FrameFlags.None, Id);
                MetadataCodec.Write(output, responseHeaders);
                output.EndFrame(start);
            }
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
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            Connection.Options.CallObserver?.OnCallCompleted(_observerToken, StatusCode.Cancelled);
            Connection.Unregister(this);
            OnAborted();
        }
        CancelToken();
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
            Complete(new Grpc.Core.Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
        }
    }

    private static Metadata EmptyHeaders() => [];
}
