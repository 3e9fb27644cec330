namespace Shoal.Client.Cluster.LoadBalancing;

/// <summary>What a load balancer gets when it is created.</summary>
/// <param name="Service">The service being balanced.</param>
/// <param name="Options">The load-balancing options of the cluster.</param>
/// <param name="TimeProvider">The clock (peak-EWMA decay reads it).</param>
/// <param name="Random">The random source; <see cref="Random.Shared"/> in production, seeded in tests.</param>
public sealed record LoadBalancerContext(string Service, LoadBalancingOptions Options, TimeProvider TimeProvider, Random Random);
