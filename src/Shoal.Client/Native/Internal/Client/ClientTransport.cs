using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// One TCP (optionally TLS) connection of a client: the preface exchange, the call table, the read
/// loop that completes calls, and keepalive. A <see cref="NativeClientConnection"/> replaces it when it breaks.
/// </summary>
internal sealed partial class ClientTransport
{
    private readonly Socket? _socket;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly FrameDecoder _decoder;
    private readonly Uri _address;
    private readonly NativeClientConnection _owner;
    private readonly ILogger _logger;
    private readonly Lock _stateLock = new();
    private readonly NativeDeserializationContext _deserializer = new();
    private uint _nextId;
    private uint _goAwayLastId = uint.MaxValue;
    private bool _goAwayReceived;
    private bool _closed;
    private volatile bool _idsExhausted;
    private readonly KeepAliveMonitor _keepAliveMonitor;
    private ITimer? _keepAlive;
    private bool _dedicatedReceive;
    private EngineSocketStream? _engineStream;
    private long _bytesReceived;
    private long _unconsumed;

    private ClientTransport(Uri address, Socket? socket, Stream stream, NativeClientOptions options, NativeClientConnection owner, ILogger logger)
    {
        _owner = owner;
        _address = address;
        _socket = socket;
        _stream = stream;
        _logger = logger;
        Options = options;
        // An idle connection waits with a zero-byte read, so it holds no receive buffer until bytes
        // arrive (64 KiB each otherwise, rented for every pending read). The dedicated receive
        // thread's blocking reads gain nothing from it and would pay a system call per read.
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096,
            useZeroByteReads: stream is not LowLatencySocketStream));
        _decoder = new FrameDecoder(options.MaxReceiveMessageSize + ProtocolConstants.MetadataAllowance);
        _keepAliveMonitor = new KeepAliveMonitor(options.KeepAliveInterval, options.KeepAliveTimeout, TimeProvider.System);
        Writer = new FrameWriter(stream, options.MaxOutputBufferSize, e => Abort("write failed: " + e.Message));
        ConnectionReceiveWindow = new ReceiveWindow(options.ConnectionWindowSize, options.MaxReceiveMessageSize, grantsCredit: false);
    }

    public NativeClientOptions Options { get; }

    public FrameWriter Writer { get; }

    public CallTable Calls { get; } = new();

    /// <summary>The send window the server grants each call (from its settings), capped at <see cref="ProtocolConstants.MaxHonouredWindow"/>.</summary>
    public int PeerInitialWindow { get; private set; } = ProtocolConstants.DefaultInitialWindow;

    /// <summary>The connection-level credit the server grants for request streams; null for a server that does not speak connection flow control.</summary>
    public SendWindow? ConnectionSendWindow { get; private set; }

    /// <summary>What response-stream messages queued for the application hold, across the calls of this connection.</summary>
    public ReceiveWindow ConnectionReceiveWindow { get; private set; }

    /// <summary>The server closed this connection gracefully (go-away NoError), so the owner reconnects only when a call needs it.</summary>
    public bool ClosedGracefully { get; private set; }

    /// <summary>The server sent its go-away: no new calls here.</summary>
    public bool IsDraining { get; private set; }

    /// <summary>Completes when the transport is closed for good.</summary>
    public Task Completion => _completion.Task;

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Dials, exchanges prefaces and starts the read loop.</summary>
    public static async Task<ClientTransport> ConnectAsync(Uri address, NativeClientOptions options, NativeClientConnection owner, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        if (options.StreamDialer is { } dial)
        {
            return await ConnectOverStreamAsync(address, await dial(address, timeout.Token).ConfigureAwait(false), options, owner, logger, timeout.Token).ConfigureAwait(false);
        }
        Socket? socket = null;
        Stream? stream = null;
        try
        {
            EndPoint endPoint = IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip)
                ? new IPEndPoint(ip, address.Port)
                : new DnsEndPoint(address.Host, address.Port);
            var dedicated = options.DedicatedReceiveThread && options.Tls is null && SocketCalls.IsSupported;
            if (dedicated)
            {
                // Blocking calls only (off the caller's thread), so the socket stays in blocking mode;
                // the timeout or a dispose closes the socket, which ends them.
                var blocking = socket = NewSocket();
                using var abort = timeout.Token.UnsafeRegister(static s => ((Socket)s!).Dispose(), blocking);
                await Task.Run(() => blocking.Connect(endPoint), CancellationToken.None).WaitAsync(timeout.Token).ConfigureAwait(false);
                var lowLatency = new ClientTransport(address, blocking, new LowLatencySocketStream(blocking, options.ReceivePollTime), options, owner, logger) { _dedicatedReceive = true };
                await Task.Run(() => lowLatency.HandshakeAsync(timeout.Token), CancellationToken.None).WaitAsync(timeout.Token).ConfigureAwait(false);
                lowLatency.Start();
                return lowLatency;
            }
            EngineSocketStream? onEngine = null;
            PollingNetworkStream? polling = null;
            if (options.UseReceiveEngine && (options.ReceiveEngineOverride ?? ReceiveEngine.Next()) is { } engine)
            {
                // Connected without holding a thread while the peer answers, then read and written with non-blocking
                // calls only, so the socket never joins the runtime's socket engine (see EngineConnect, EngineSocketStream).
                socket = await EngineConnect.ConnectAsync(endPoint, engine, timeout.Token).ConfigureAwait(false);
                socket.NoDelay = true;
                stream = onEngine = new EngineSocketStream(socket, engine, options.ReceivePollTime, options.ReceivePollBudget);
            }
            else
            {
                socket = NewSocket();
                await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
                stream = polling = new PollingNetworkStream(socket, options.ReceivePollTime, options.ReceivePollBudget);
            }
            if (options.Tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                var clientOptions = CloneTls(tls, address.Host);
                await ssl.AuthenticateAsClientAsync(clientOptions, timeout.Token).ConfigureAwait(false);
            }
            var transport = new ClientTransport(address, socket, stream, options, owner, logger) { _engineStream = onEngine };
            if (onEngine is not null)
            {
                onEngine.ExpectsBytes = transport.ExpectsReplies;
            }
            else
            {
                polling!.ExpectsBytes = transport.ExpectsReplies;
            }
            await transport.HandshakeAsync(timeout.Token).ConfigureAwait(false);
            transport.Start();
            return transport;
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            socket?.Dispose();
            throw;
        }

        static Socket NewSocket() => new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    }

    private static async Task<ClientTransport> ConnectOverStreamAsync(Uri address, Stream stream, NativeClientOptions options, NativeClientConnection owner, ILogger logger, CancellationToken cancellationToken)
    {
        var transport = new ClientTransport(address, null, stream, options, owner, logger);
        try
        {
            await transport.HandshakeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        transport.Start();
        return transport;
    }

    private static SslClientAuthenticationOptions CloneTls(SslClientAuthenticationOptions tls, string host) => new()
    {
        TargetHost = tls.TargetHost ?? host,
        RemoteCertificateValidationCallback = tls.RemoteCertificateValidationCallback,
        ClientCertificates = tls.ClientCertificates,
        EnabledSslProtocols = tls.EnabledSslProtocols,
        CertificateRevocationCheckMode = tls.CertificateRevocationCheckMode,
        ApplicationProtocols = tls.ApplicationProtocols,
        LocalCertificateSelectionCallback = tls.LocalCertificateSelectionCallback,
        CertificateChainPolicy = tls.CertificateChainPolicy,
    };

    /// <summary>Whether calls of this connection wait for the server's frames (its read loop then polls briefly before it waits).</summary>
    private bool ExpectsReplies() => Calls.Count > 0;

    /// <summary>Closes the socket now; calls in flight fail with Unavailable.</summary>
    public void Abort(string reason)
    {
        lock (_stateLock)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
        }
        _logger.ClientConnectionFailed(_address, reason);
        Shutdown(reason);
    }

    private void Shutdown(string reason)
    {
        _keepAlive?.Dispose();
        if (_inlineCompletions)
        {
            InlineHandlerWatchdog.Shared.Remove(this);
        }
        Writer.Close();
        if (_socket is null)
        {
            _stream.Dispose();
        }
        else
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            // The engine's stream (under TLS too) leaves its engine while the socket is open and ends a read still waiting there.
            _engineStream?.Dispose();
            _socket.Dispose();
        }
        var status = new Status(StatusCode.Unavailable, "The connection to " + _address + " broke: " + reason);
        foreach (var call in Calls.RemoveWhere(static _ => true))
        {
            call.Fail(status);
        }
        _owner.OnTransportClosed(this);
        _completion.TrySetResult();
    }

    /// <summary>Closes quietly (the owner is disposed).</summary>
    public void Close(string reason)
    {
        lock (_stateLock)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
        }
        Shutdown(reason);
    }
}
