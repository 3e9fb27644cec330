namespace Shoal.Client.Native.Internal;

/// <summary>
/// The keepalive bookkeeping both ends of a connection share: when anything was last received,
/// whether a ping is out, and what each timer tick has to do about it. It samples the connection's
/// count of received bytes on each tick, so the read path reads no clock; times are
/// <paramref name="time"/> timestamps. The owner sends the ping and handles a timeout.
/// </summary>
internal sealed class KeepAliveMonitor(TimeSpan interval, TimeSpan timeout, TimeProvider time)
{
    private long _lastReceived = time.GetTimestamp();
    private long _bytesSeen;
    private long _pingSentAt;

    /// <summary>Whether keepalive is on (a positive, finite interval).</summary>
    public bool Enabled => interval != Timeout.InfiniteTimeSpan && interval > TimeSpan.Zero;

    /// <summary>How often to call <see cref="Tick"/>: a quarter of the shorter of interval and timeout, at least 20 ms.</summary>
    public TimeSpan TickPeriod => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(20).Ticks, Math.Min(interval.Ticks, timeout.Ticks) / 4));

    /// <summary>
    /// One timer tick, given the connection's running count of received bytes: an increase means the
    /// peer is alive and an outstanding ping counts as answered. Returns
    /// <see cref="KeepAliveAction.TimedOut"/> when a ping went unanswered for the timeout;
    /// <see cref="KeepAliveAction.SendPing"/> (recorded as sent at <paramref name="now"/>) when nothing
    /// arrived for the interval and no ping is out; otherwise <see cref="KeepAliveAction.None"/>.
    /// </summary>
    public KeepAliveAction Tick(long bytesReceived, out long now)
    {
        now = time.GetTimestamp();
        if (!Enabled)
        {
            return KeepAliveAction.None;
        }
        if (bytesReceived != _bytesSeen)
        {
            _bytesSeen = bytesReceived;
            _lastReceived = now;
            _pingSentAt = 0;
            return KeepAliveAction.None;
        }
        if (_pingSentAt != 0)
        {
            return time.GetElapsedTime(_pingSentAt, now) > timeout ? KeepAliveAction.TimedOut : KeepAliveAction.None;
        }
        if (time.GetElapsedTime(_lastReceived, now) < interval)
        {
            return KeepAliveAction.None;
        }
        _pingSentAt = now;
        return KeepAliveAction.SendPing;
    }
}
