using Shoal.Client.Cluster.Endpoints.Internal;

namespace Shoal.Client.Cluster.Endpoints;

/// <summary>
/// Out-of-band server load: the latest report of the instance itself, kept as one immutable
/// reading behind one reference, so a picker reads it with a single volatile load and no lock.
/// </summary>
public sealed partial class ClusterEndpoint
{
    private ServerLoadReading? _serverLoad;
    private volatile bool _serverLoadUnsupported;

    /// <summary>
    /// The instance's latest load report, or null when there is none or it is stale (no newer
    /// report for three of its windows). Only set while <see cref="LoadBalancing.LoadBalancingOptions.UseServerLoad"/> is on.
    /// </summary>
    public EndpointLoad? ServerLoad => ServerLoadAt(_timeProvider.GetTimestamp())?.Load;

    /// <summary>
    /// True once the instance answered its load watch with Unimplemented (a server without load
    /// reports, such as a plain grpc-dotnet one): it is balanced on client-side feedback only.
    /// </summary>
    public bool ServerLoadUnsupported => _serverLoadUnsupported;

    /// <summary>The watcher of the instance's load reports (owned by the directory), or null.</summary>
    internal ServerLoadWatcher? LoadWatcher { get; set; }

    /// <summary>The reading that counts at <paramref name="timestamp"/> (a <see cref="TimeProvider.GetTimestamp"/> value), or null.</summary>
    internal ServerLoadReading? ServerLoadAt(long timestamp)
    {
        var reading = Volatile.Read(ref _serverLoad);
        return reading is not null && timestamp < reading.ExpiresAt ? reading : null;
    }

    /// <summary>Takes a new report (on the watcher's thread).</summary>
    internal void ReportServerLoad(EndpointLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        Volatile.Write(ref _serverLoad, new ServerLoadReading(load, _timeProvider.GetTimestamp(), _timeProvider.TimestampFrequency));
    }

    /// <summary>The instance has no load reports: forgets the last one and says so.</summary>
    internal void MarkServerLoadUnsupported()
    {
        _serverLoadUnsupported = true;
        Volatile.Write(ref _serverLoad, null);
    }
}
