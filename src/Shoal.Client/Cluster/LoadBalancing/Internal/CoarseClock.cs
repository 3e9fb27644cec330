namespace Shoal.Client.Cluster.LoadBalancing.Internal;

/// <summary>
/// A <see cref="TimeProvider.GetTimestamp"/> for the pick path that reads the precise clock at
/// most once per tick of <see cref="Environment.TickCount64"/> (a few milliseconds).
/// </summary>
/// <remarks>
/// On machines without a fast clock source (many VMs) a precise timestamp costs a system call,
/// about 100 ns, more than the rest of a p2c_ewma pick; the coarse tick counter costs about 10 ns.
/// Peak-EWMA decays over seconds, so a timestamp a few milliseconds old changes nothing. Only the
/// system clock is cached: an injected clock (tests) is read every time, since the tick counter
/// says nothing about it. Racing threads may both refresh, which is harmless.
/// </remarks>
internal sealed class CoarseClock
{
    private readonly TimeProvider _timeProvider;
    private readonly bool _cache;
    private long _tick = long.MinValue;
    private long _timestamp;

    public CoarseClock(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _cache = ReferenceEquals(timeProvider, TimeProvider.System);
    }

    public long GetTimestamp()
    {
        if (!_cache)
        {
            return _timeProvider.GetTimestamp();
        }
        var tick = Environment.TickCount64;
        if (tick != Volatile.Read(ref _tick))
        {
            Volatile.Write(ref _timestamp, _timeProvider.GetTimestamp());
            Volatile.Write(ref _tick, tick);
        }
        return Volatile.Read(ref _timestamp);
    }
}
