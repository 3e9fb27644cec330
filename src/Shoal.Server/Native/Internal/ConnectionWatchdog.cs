using Shoal.Client.Native.Internal;

namespace Shoal.Server.Native.Internal;

/// <summary>
/// Every timed rule of a server connection behind one cheap timer tick: the handshake timeout,
/// keepalive, the minimum receive and send data rates and the idle timeout. It only compares
/// samples of the connection's counters (<see cref="ConnectionActivity"/>) with the clock of the
/// injected <see cref="TimeProvider"/>, so it is tested with fake time and the connection's hot
/// path reads no clock.
/// </summary>
internal sealed class ConnectionWatchdog
{
    private static readonly TimeSpan MinTick = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxTick = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly TimeSpan _handshakeTimeout;
    private readonly TimeSpan _idleTimeout;
    private readonly long _started;
    private readonly KeepAliveMonitor _keepAlive;
    private readonly ReceiveRateMonitor _receive;
    private readonly SendRateMonitor _send;
    private long _idleSince;
    private long _callsStartedSeen;

    public ConnectionWatchdog(NativeServerOptions options)
    {
        _time = options.TimeProvider;
        _handshakeTimeout = options.HandshakeTimeout;
        _idleTimeout = options.IdleTimeout;
        _started = _time.GetTimestamp();
        _idleSince = _started;
        _keepAlive = new KeepAliveMonitor(options.KeepAliveInterval, options.KeepAliveTimeout, _time);
        TickPeriod = PeriodFor(options);
        _receive = new ReceiveRateMonitor(options.MinReceiveDataRate, options.MinReceiveDataRateGracePeriod, TickPeriod, _time);
        _send = new SendRateMonitor(options.MinSendDataRate, options.MinSendDataRateGracePeriod, _time);
    }

    /// <summary>How often to call <see cref="Tick"/>: a quarter of the shortest enabled timing, between 10 ms and 1 s.</summary>
    public TimeSpan TickPeriod { get; }

    /// <summary>One tick: the first rule that fires, in the order handshake, send rate, receive rate, idle, keepalive.</summary>
    public WatchdogAction Tick(in ConnectionActivity activity, out long now)
    {
        var keepAlive = _keepAlive.Tick(activity.BytesReceived, out now);
        if (!activity.HandshakeDone)
        {
            return _time.GetElapsedTime(_started, now) > _handshakeTimeout ? WatchdogAction.HandshakeTimedOut : WatchdogAction.None;
        }
        if (_send.IsTooSlow(now, activity.FlushSequence, activity.PendingWrite))
        {
            return WatchdogAction.SendTooSlow;
        }
        if (_receive.IsTooSlow(now, activity.FrameInProgress, activity.BytesReceived))
        {
            return WatchdogAction.ReceiveTooSlow;
        }
        if (activity.OpenCalls > 0 || activity.CallsStarted != _callsStartedSeen)
        {
            _callsStartedSeen = activity.CallsStarted;
            _idleSince = now;
        }
        else if (_idleTimeout != Timeout.InfiniteTimeSpan && _time.GetElapsedTime(_idleSince, now) > _idleTimeout)
        {
            return WatchdogAction.Idle;
        }
        return keepAlive switch
        {
            KeepAliveAction.TimedOut => WatchdogAction.KeepAliveTimedOut,
            KeepAliveAction.SendPing => WatchdogAction.SendPing,
            _ => WatchdogAction.None,
        };
    }

    private static TimeSpan PeriodFor(NativeServerOptions options)
    {
        var shortest = options.HandshakeTimeout;
        void Consider(TimeSpan value, bool enabled)
        {
            if (enabled && value > TimeSpan.Zero && value < shortest)
            {
                shortest = value;
            }
        }
        var keepAlive = options.KeepAliveInterval != Timeout.InfiniteTimeSpan;
        Consider(options.KeepAliveInterval, keepAlive);
        Consider(options.KeepAliveTimeout, keepAlive);
        Consider(options.IdleTimeout, options.IdleTimeout != Timeout.InfiniteTimeSpan);
        Consider(options.MinReceiveDataRateGracePeriod, options.MinReceiveDataRate > 0);
        Consider(options.MinSendDataRateGracePeriod, options.MinSendDataRate > 0);
        var quarter = TimeSpan.FromTicks(shortest.Ticks / 4);
        return quarter < MinTick ? MinTick : quarter > MaxTick ? MaxTick : quarter;
    }
}
