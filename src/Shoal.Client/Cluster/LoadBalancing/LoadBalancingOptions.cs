namespace Shoal.Client.Cluster.LoadBalancing;

/// <summary>How a cluster balances calls over its ready endpoints (the <c>LoadBalancing</c> section of <see cref="ClusterOptions"/>).</summary>
public sealed class LoadBalancingOptions
{
    /// <summary>The policy name (<see cref="LoadBalancerNames"/>); <c>p2c_ewma</c> by default.</summary>
    public string Policy { get; set; } = LoadBalancerNames.Default;

    /// <summary>How long a new instance takes to reach its full weight; zero turns warm-up off. Default 60 s.</summary>
    public TimeSpan WarmupPeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The share of its weight (in percent, 1–100) a brand-new instance starts with. Default 10.</summary>
    public int WarmupMinWeightPercent { get; set; } = 10;

    /// <summary>Whether endpoints in the caller's zone (<see cref="ClusterOptions.Zone"/>) are preferred. Default true.</summary>
    public bool PreferLocalZone { get; set; } = true;

    /// <summary>
    /// The local zone is used alone only while at least this share (0–1) of its known instances is
    /// ready; below it the whole cluster is used. Default 0.5.
    /// </summary>
    public double LocalZoneMinReadyShare { get; set; } = 0.5;

    /// <summary>
    /// The local zone is considered overloaded, and calls spill over to every zone, while its mean
    /// number of calls in flight per ready endpoint is above this. Default 32.
    /// </summary>
    public int LocalZoneMaxInFlightPerEndpoint { get; set; } = 32;

    /// <summary>The request header whose value keys <c>consistent_hash</c>; a call without it is placed at random. Default <c>x-shoal-hash-key</c>.</summary>
    public string HashHeader { get; set; } = "x-shoal-hash-key";

    /// <summary>Virtual nodes per endpoint of weight 100 on the <c>consistent_hash</c> ring (scaled by weight). Default 100.</summary>
    public int VirtualNodes { get; set; } = 100;

    /// <summary>The largest ring <c>consistent_hash</c> builds; virtual nodes per endpoint shrink to fit. Default 1,048,576.</summary>
    public int MaxRingSize { get; set; } = 1 << 20;

    /// <summary>How many random candidates <c>least_request</c> compares once the cluster is larger than <see cref="LeastRequestFullScanMax"/>. Default 2.</summary>
    public int LeastRequestChoices { get; set; } = 2;

    /// <summary>Up to this many endpoints <c>least_request</c> looks at all of them. Default 10.</summary>
    public int LeastRequestFullScanMax { get; set; } = 10;

    /// <summary>
    /// Whether the balancer also reads each instance's own load reports (CPU utilisation and calls
    /// in flight at the server, for all its clients; out of band, one report per server window):
    /// <c>p2c_ewma</c> multiplies an endpoint's cost by <c>1 / (1 − min(utilisation, 0.95))</c>,
    /// <c>least_request</c> counts the server's calls in flight when they exceed the client's and
    /// breaks ties by utilisation. Needs <see cref="ClusterDependencies.LoadReporter"/>. A report
    /// is ignored once three of its windows pass without a newer one. Default false: picks use
    /// client-side feedback only.
    /// </summary>
    public bool UseServerLoad { get; set; }

    /// <summary>The time constant of the peak-EWMA latency (how fast old samples are forgotten). Default 10 s.</summary>
    public TimeSpan EwmaDecay { get; set; } = TimeSpan.FromSeconds(10);
}
