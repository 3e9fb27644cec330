namespace Shoal.Client.Cluster.LoadBalancing;

/// <summary>Creates a load balancer for the policy it is named after (<see cref="LoadBalancerNames"/>).</summary>
public interface ILoadBalancerFactory
{
    /// <summary>The policy name used in configuration, such as <c>p2c_ewma</c>.</summary>
    string Name { get; }

    /// <summary>Creates a balancer for one cluster.</summary>
    ILoadBalancer Create(LoadBalancerContext context);
}
