namespace Shoal.Client.Cluster.Endpoints;

/// <summary>The calls in flight over all endpoints of one zone, kept by their trackers so that zone overload is an O(1) read.</summary>
public sealed class ZoneLoad
{
    private int _inFlight;

    /// <summary>Creates the counter for <paramref name="zone"/>.</summary>
    public ZoneLoad(string zone)
    {
        Zone = zone ?? "";
    }

    /// <summary>The zone.</summary>
    public string Zone { get; }

    /// <summary>Calls in flight over the zone's endpoints.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    internal void Increment() => Interlocked.Increment(ref _inFlight);

    internal void Decrement() => Interlocked.Decrement(ref _inFlight);
}
