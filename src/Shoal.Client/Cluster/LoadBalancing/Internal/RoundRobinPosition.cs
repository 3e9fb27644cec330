namespace Shoal.Client.Cluster.LoadBalancing.Internal;

/// <summary>The shared position of a round-robin balancer; survives picker rebuilds.</summary>
internal sealed class RoundRobinPosition
{
    public long Value;
}
