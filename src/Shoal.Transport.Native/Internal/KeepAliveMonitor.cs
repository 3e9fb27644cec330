namespace Shoal.Transport.Native.Internal;

/// <summary>
/// The keepalive bookkeeping both ends of a connection share: when anything was last received,
/// whether a ping is out, and what each timer tick has to do about it. Times are
/// <see cref="Environment.TickCount64"/> milliseconds; the owner sends the ping and handles a timeout.
/// </summary>
internal sealed class KeepAliveMonitor(TimeSpan interval, TimeSpan timeout)
{
    private long _lastReceived = Environment.TickCount64;
    private long _pingSentAt;

    /// <summary>Whether keepalive is on (a positive, finite interval).</summary>
    public bool Enabled => interval != Timeout.InfiniteTimeSpan && interval > TimeSpan.Zero;

    /// <summary>How often to call <see cref="Tick"/>: a quarter of the shorter of interval and timeout, at least 20 ms.</summary>
    public TimeSpan TickPeriod => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(20).Ticks, Math.Min(interval.Ticks, timeout.Ticks) / 4));

    /// <summary>Something arrived: the peer is alive, and an outstanding ping counts as answered.</summary>
    public void OnReceived()
    {
        Volatile.Write(ref _lastReceived, Environment.TickCount64);
        Volatile.Write(ref _pingSentAt, 0);
    }

    /// <summary>
    /// One timer tick: <see cref="KeepAliveAction.TimedOut"/> when a ping went unanswered for the
    /// timeout; <see cref="KeepAliveAction.SendPing"/> (recorded as sent at <paramref name="now"/>) when
    /// nothing arrived for the interval and no ping is out; otherwise <see cref="KeepAliveAction.None"/>.
    /// </summary>
    public KeepAliveAction Tick(out long now)
    {
        now = Environment.TickCount64;
        var sentAt = Volatile.Read(ref _pingSentAt);
        if (sentAt != 0)
        {
            return now - sentAt > (long)timeout.TotalMilliseconds ? KeepAliveAction.TimedOut : KeepAliveAction.None;
        }
        if (now - Volatile.Read(ref _lastReceived) < (long)interval.TotalMilliseconds)
        {
            return KeepAliveAction.None;
        }
        Volatile.Write(ref _pingSentAt, now);
        return KeepAliveAction.SendPing;
    }
}
