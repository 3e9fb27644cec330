using System.Collections.Immutable;
using Shoal.Instances;

namespace Shoal.Discovery;

/// <summary>
/// The full set of instances of one service at one version. A resolver hands out a whole new set
/// on every change, never a delta, so a consumer can swap its snapshot in one assignment.
/// </summary>
/// <param name="Service">The service name, such as <c>hello.Greeter</c>.</param>
/// <param name="Version">Grows with every change the source saw (an etcd revision, a registry counter).</param>
/// <param name="Instances">Every live instance.</param>
/// <param name="IsStale">True when the source is unreachable and this is the last set that was seen.</param>
public sealed record InstanceSet(string Service, long Version, ImmutableArray<ServiceInstance> Instances, bool IsStale = false)
{
    /// <summary>An empty set at version 0.</summary>
    public static InstanceSet Empty(string service) => new(service, 0, ImmutableArray<ServiceInstance>.Empty);
}
