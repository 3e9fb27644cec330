using System.IO.Pipelines;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Shoal.Client.Native;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Server.Native.Internal;

/// <summary>
/// One native connection on the server: handshake, the read loop that parses and dispatches
/// frames, the table of calls in flight, the timer tick that enforces the connection's timed
/// limits, and graceful drain.
/// </summary>
internal sealed partial class ServerConnection
{
    private readonly ConnectionContext _context;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly MethodLookup _lookup;
    private readonly FrameDecoder _decoder;
    private readonly byte[] _scratch = new byte[ProtocolConstants.MaxMethodLength];
    private readonly Lock _callsLock = new();
    private readonly Dictionary<uint, ServerCall> _calls = [];
    private int _callCount;
    private int _liveCalls;
    private long _callsStarted;
    private uint _highestId;
    private volatile bool _drainRequested;
    private string? _drainDetail;
    private volatile bool _draining;
    private volatile bool _stopping;
    private volatile bool _aborted;
    private ProtocolException? _stopReason;

    public ServerConnection(ConnectionContext context, MethodLookup lookup, NativeServerOptions options, ILogger logger, NativeFrameBudget? budget = null)
    {
        _context = context;
        _input = context.Transport.Input;
        _output = context.Transport.Output;
        _lookup = lookup;
        Options = options;
        Log = logger;
        _decoder = new FrameDecoder(options.MaxReceiveMessageSize + ProtocolConstants.MetadataAllowance, budget ?? new NativeFrameBudget(options.FrameAssemblyBudget));
        _watchdog = new ConnectionWatchdog(options);
        _resets = new CallResetMonitor(options.MaxCallResetsPerSecond, options.TimeProvider);
        Writer = new FrameWriter(_output, options.MaxOutputBufferSize, OnWriteError);
        ConnectionReceiveWindow = new ReceiveWindow(options.ConnectionWindowSize, options.MaxReceiveMessageSize, grantsCredit: false);
        Peer = FormatPeer(context.RemoteEndPoint);
        LocalAuthority = context.LocalEndPoint is IPEndPoint local ? local.ToString() : "";
        AuthContext = NativeAuthContext.For(context);
    }

    public NativeServerOptions Options { get; }

    public ILogger Log { get; }

    public FrameWriter Writer { get; }

    /// <summary>Used only on the read loop, by methods deserializing their inline request.</summary>
    public NativeDeserializationContext Deserializer { get; } = new();

    public string Peer { get; }

    /// <summary>What <see cref="ServerCallContext.Host"/> reports when the client sent no host (its dialed address, as grpc-dotnet's authority).</summary>
    public string LocalAuthority { get; }

    public AuthContext AuthContext { get; }

    /// <summary>Kestrel's connection: addresses and TLS features for authentication.</summary>
    public ConnectionContext Transport => _context;

    /// <summary>The send window the client grants each call (from its preface), capped at <see cref="ProtocolConstants.MaxHonouredWindow"/>.</summary>
    public int PeerInitialWindow { get; private set; } = ProtocolConstants.DefaultInitialWindow;

    /// <summary>The connection-level credit the client grants for response streams; null when it does not speak connection flow control.</summary>
    public SendWindow? ConnectionSendWindow { get; private set; }

    /// <summary>What request-stream messages queued for handlers hold, across the calls of this connection.</summary>
    public ReceiveWindow ConnectionReceiveWindow { get; private set; }

    /// <summary>Whether the client sent <see cref="SettingId.InitialConnectionWindow"/>: it then obeys the connection window, and breaking it is a protocol error.</summary>
    private bool PeerSpeaksConnectionWindow => ConnectionSendWindow is not null;

    public async Task RunAsync()
    {
        var lifetime = _context.Features.Get<IConnectionLifetimeNotificationFeature>();
        using var closeRequested = lifetime?.ConnectionClosedRequested.UnsafeRegister(static s => ((ServerConnection)s!).BeginDrain(ShuttingDown), this);
        var reason = "the client closed the connection";
        StartTimer();
        try
        {
            await HandshakeAsync().ConfigureAwait(false);
            InlineHandlerWatchdog.Shared.Add(this);
            await ReadLoopAsync().ConfigureAwait(false);
            reason = _draining ? "drained" : reason;
        }
        catch (ProtocolException e)
        {
            reason = e.Message;
            if (!_aborted)
            {
                Log.ProtocolError(_context.ConnectionId, Peer, e.Code, e.Message);
                WriteGoAway(e.Code, e.Message);
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ConnectionAbortedException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            reason = _stopReason?.Message ?? e.Message;
        }
        finally
        {
            InlineHandlerWatchdog.Shared.Remove(this);
            await CloseAsync(reason).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends the connection from outside the read loop (a timer, a deadline): the first reason wins,
    /// and the read loop (or handshake) wakes up and throws it, so closing happens in one place.
    /// </summary>
    private void Stop(ProtocolException reason)
    {
        Interlocked.CompareExchange(ref _stopReason, reason, null);
        _stopping = true;
        _input.CancelPendingRead();
        // A read loop paused for output room wakes up too.
        Writer.WakeRoomWaiters();
    }

    private async Task CloseAsync(string reason)
    {
        _stopping = true;
        _timer?.Dispose();
        ServerCall[] calls;
        lock (_callsLock)
        {
            calls = [.. _calls.Values];
        }
        foreach (var call in calls)
        {
            call.Abort();
        }
        if (!_aborted)
        {
            try
            {
                await Writer.DrainAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
            {
                // The peer is gone or not reading: nothing more can be sent.
            }
        }
        // Whatever a partial frame holds (pool segments, budget) goes back now, not when the peer leaves.
        _decoder.Release();
        try
        {
            // A handler's late frame may have started a flush after the drain: it must leave the pipe first.
            await Writer.ReleaseAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The flush did not end although cancelled; completing the pipe is all that is left.
        }
        await _output.CompleteAsync().ConfigureAwait(false);
        await _input.CompleteAsync().ConfigureAwait(false);
        Log.ConnectionClosed(_context.ConnectionId, Peer, reason);
    }

    private void OnWriteError(Exception error)
    {
        _stopping = true;
        _input.CancelPendingRead();
    }

    private static string FormatPeer(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip => $"ipv6:[{ip.Address}]:{ip.Port}",
        IPEndPoint ip => $"ipv4:{ip.Address}:{ip.Port}",
        null => "unknown",
        _ => endPoint.ToString() ?? "unknown",
    };
}
