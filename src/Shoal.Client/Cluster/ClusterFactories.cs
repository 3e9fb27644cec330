using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Client.Cluster.LoadBalancing.ConsistentHash;
using Shoal.Client.Cluster.LoadBalancing.LeastRequest;
using Shoal.Client.Cluster.LoadBalancing.P2cEwma;
using Shoal.Client.Cluster.LoadBalancing.RoundRobin;

namespace Shoal.Client.Cluster;

/// <summary>The built-in policies and strategies; a cluster combines them with the factories it is given (those win on a name clash).</summary>
public static class ClusterFactories
{
    /// <summary>New instances of the built-in load-balancer factories.</summary>
    public static IReadOnlyList<ILoadBalancerFactory> BuiltInLoadBalancers() =>
    [
        new RoundRobinLoadBalancerFactory(),
        new LoadBalancing.RandomChoice.RandomLoadBalancerFactory(),
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
