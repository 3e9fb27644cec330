namespace Shoal.Client.Cluster.LoadBalancing;

/// <summary>The names of the built-in load-balancing policies.</summary>
public static class LoadBalancerNames
{
    /// <summary>Smooth weighted round robin.</summary>
    public const string RoundRobin = "round_robin";

    /// <summary>Weighted random.</summary>
    public const string Random = "random";

    /// <summary>Fewest requests in flight (sampled for large clusters).</summary>
    public const string LeastRequest = "least_request";

    /// <summary>Power of two choices on peak-EWMA latency × (in flight + 1); the default.</summary>
    public const string P2cEwma = "p2c_ewma";

    /// <summary>A hash ring with virtual nodes keyed by a request header.</summary>
    public const string ConsistentHash = "consistent_hash";

    /// <summary>The policy used when none is configured.</summary>
    public const string Default = P2cEwma;
}
