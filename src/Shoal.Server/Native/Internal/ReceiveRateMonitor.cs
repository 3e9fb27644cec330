namespace Shoal.Server.Native.Internal;

/// <summary>
/// The minimum receive data rate for a frame that has started to arrive: while one is in progress,
/// every period (the first is the grace period) must bring at least rate × period bytes. Unlike
/// Kestrel's MinRequestBodyDataRate, which averages from the start, a fast start does not buy a long
/// stall: a peer that sends most of a frame and stops is caught within two periods. Fed from the
/// connection's timer tick; not thread-safe (one tick at a time).
/// <para>
/// Time is counted tick by tick, at most <paramref name="tickPeriod"/> per tick (as Kestrel does with its
/// heartbeat): a tick that comes late means the server itself stalled (a starved thread pool delays the
/// timer and the read loop alike, so the bytes that arrived meanwhile are not counted yet), and that
/// stall is not charged to the peer.
/// </para>
/// </summary>
internal sealed class ReceiveRateMonitor(double bytesPerSecond, TimeSpan period, TimeSpan tickPeriod, TimeProvider time)
{
    private bool _active;
    private long _lastTick;
    private TimeSpan _counted;
    private long _bytesAtStart;

    /// <summary>
    /// Whether the peer is too slow, given whether a frame is in progress (and the connection is
    /// reading: a connection paused by its own backpressure does not count against the peer) and the
    /// running count of bytes received.
    /// </summary>
    public bool IsTooSlow(long now, bool frameInProgress, long bytesReceived)
    {
        if (bytesPerSecond <= 0 || !frameInProgress)
        {
            _active = false;
            return false;
        }
        if (!_active)
        {
            _active = true;
            _lastTick = now;
            _counted = TimeSpan.Zero;
            _bytesAtStart = bytesReceived;
            return false;
        }
        var step = time.GetElapsedTime(_lastTick, now);
        _lastTick = now;
        _counted += step < tickPeriod ? step : tickPeriod;
        if (_counted < period)
        {
            return false;
        }
        if (bytesReceived - _bytesAtStart < bytesPerSecond * _counted.TotalSeconds)
        {
            return true;
        }
        _counted = TimeSpan.Zero;
        _bytesAtStart = bytesReceived;
        return false;
    }
}
