namespace Shoal.Client.Cluster.LoadBalancing;

/// <summary>
/// One policy for one cluster: turns each new set of pickable endpoints into a picker. It may keep
/// state that outlives a picker (a round-robin position); it is told nothing else.
/// </summary>
public interface ILoadBalancer
{
    /// <summary>Builds the picker for <paramref name="endpoints"/> (never empty).</summary>
    IPicker CreatePicker(WeightedEndpoints endpoints);
}
