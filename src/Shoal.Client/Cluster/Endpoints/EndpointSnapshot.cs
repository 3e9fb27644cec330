using System.Collections.Immutable;

namespace Shoal.Client.Cluster.Endpoints;

/// <summary>
/// An immutable view of a cluster at one moment: the endpoints a picker may choose from, and every
/// endpoint known (for zone shares and ejection limits). A new snapshot is published on every change.
/// </summary>
/// <param name="Version">Grows with every published snapshot.</param>
/// <param name="Ready">The pickable endpoints: connection ready, not ejected, not failing health checks.</param>
/// <param name="All">Every endpoint of a current instance, pickable or not.</param>
/// <param name="HasInstanceSet">Whether the resolver has delivered at least one instance set.</param>
public sealed record EndpointSnapshot(long Version, ImmutableArray<ClusterEndpoint> Ready, ImmutableArray<ClusterEndpoint> All, bool HasInstanceSet)
{
    /// <summary>The snapshot before anything is known.</summary>
    public static EndpointSnapshot Empty { get; } = new(0, ImmutableArray<ClusterEndpoint>.Empty, ImmutableArray<ClusterEndpoint>.Empty, false);
}
