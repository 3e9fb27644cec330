using Shoal.Cluster.FaultTolerance;
using Shoal.Cluster.LoadBalancing;
using Shoal.Cluster.LoadBalancing.ConsistentHash;
using Shoal.Cluster.LoadBalancing.LeastRequest;
using Shoal.Cluster.LoadBalancing.P2cEwma;
using Shoal.Cluster.LoadBalancing.RoundRobin;

namespace Shoal.Cluster;

/// <summary>The built-in policies and strategies; a cluster combines them with the factories it is given (those win on a name clash).</summary>
public static class ClusterFactories
{
    /// <summary>New instances of the built-in load-balancer factories.</summary>
    public static IReadOnlyList<ILoadBalancerFactory> BuiltInLoadBalancers() =>
    [
        new RoundRobinLoadBalancerFactory(),
        new LoadBalancing.Random.RandomLoadBalancerFactory(),
        new LeastRequestLoadBalancerFactory(),
        new P2cEwmaLoadBalancerFactory(),
        new ConsistentHashLoadBalancerFactory(),
    ];

    /// <summary>New instances of the built-in fault-tolerance strategy factories.</summary>
    public static IReadOnlyList<IFaultToleranceStrategyFactory> BuiltInStrategies() =>
    [
        new FailoverStrategyFactory(),
        new FailfastStrategyFactory(),
        new FailsafeStrategyFactory(),
        new FailbackStrategyFactory(),
        new ForkingStrategyFactory(),
        new BroadcastStrategyFactory(),
        new HedgingStrategyFactory(),
    ];
}
