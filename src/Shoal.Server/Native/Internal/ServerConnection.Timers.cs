using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Server.Native.Internal;

internal sealed partial class ServerConnection
{
    private readonly ConnectionWatchdog _watchdog;
    private readonly CallResetMonitor _resets;
    private ITimer? _timer;
    private int _ticking;

    /// <summary>One timer per connection drives every timed rule (<see cref="ConnectionWatchdog"/>).</summary>
    private void StartTimer()
    {
        var period = _watchdog.TickPeriod;
        _timer = Options.TimeProvider.CreateTimer(static s => ((ServerConnection)s!).OnTick(), this, period, period);
    }

    private void OnTick()
    {
        if (_stopping || Interlocked.Exchange(ref _ticking, 1) != 0)
        {
            return;
        }
        try
        {
            CountReadAhead();
            var activity = new ConnectionActivity(
                _handshakeDone,
                Volatile.Read(ref _liveCalls),
                Volatile.Read(ref _callsStarted),
                _frameInProgress,
                Volatile.Read(ref _bytesReceived),
                Writer.FlushSequence,
                Writer.ChunkInFlight);
            switch (_watchdog.Tick(activity, out var now))
            {
                case WatchdogAction.SendPing:
                    Writer.WritePing(now);
                    break;
                case WatchdogAction.HandshakeTimedOut:
                    Stop(new ProtocolException(GoAwayCode.Timeout, $"No preface within {Options.HandshakeTimeout.TotalSeconds:0.###} s."));
                    break;
                case WatchdogAction.KeepAliveTimedOut:
                    Log.KeepAliveTimeout(_context.ConnectionId, Peer);
                    Stop(new ProtocolException(GoAwayCode.Timeout, "Keepalive ping was not answered in time."));
                    break;
                case WatchdogAction.ReceiveTooSlow:
                    Stop(new ProtocolException(GoAwayCode.Timeout, $"A frame arrived slower than {Options.MinReceiveDataRate:0.###} bytes per second."));
                    break;
                case WatchdogAction.SendTooSlow:
                    // The peer does not read, so a go-away would never reach it: abort, which also frees the output at once.
                    _aborted = true;
                    Stop(new ProtocolException(GoAwayCode.Timeout, $"The client took the output slower than {Options.MinSendDataRate:0.###} bytes per second."));
                    Log.ClientNotReading(_context.ConnectionId, Peer, Options.MinSendDataRate);
                    _context.Abort(new Microsoft.AspNetCore.Connections.ConnectionAbortedException("The client does not read its responses."));
                    break;
                case WatchdogAction.Idle:
                    BeginDrain($"The connection was idle for {Options.IdleTimeout.TotalSeconds:0.###} s.");
                    break;
            }
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }
}
