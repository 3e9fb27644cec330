using Shoal.Client.Cluster.LoadBalancing.Internal;

namespace Shoal.Client.Cluster.LoadBalancing.RoundRobin;

/// <summary>
/// Smooth weighted round robin: over one cycle each endpoint gets calls in proportion to its
/// weight, interleaved rather than in bursts (nginx's smooth weighted round robin gives
/// <c>a a b a c a a</c> for weights 5/1/1; this gives the same counts, equally spread).
/// </summary>
/// <remarks>
/// nginx walks every endpoint on every pick (O(n), under a lock). Here the cycle is computed once
/// per picker with an earliest-deadline-first schedule (as Envoy does), so a pick is one
/// <see cref="Interlocked.Increment(ref long)"/> and an array read: O(1), lock-free. The position
/// lives in the balancer, so a new picker (a new snapshot, a warm-up step) carries on where the
/// last one stopped instead of starting every cycle from the first endpoint.
/// </remarks>
public sealed class RoundRobinLoadBalancer : ILoadBalancer
{
    private readonly RoundRobinPosition _position = new();
    private readonly Random _random;

    /// <summary>Creates the balancer.</summary>
    public RoundRobinLoadBalancer(Random random)
    {
        _random = random ?? throw new ArgumentNullException(nameof(random));
    }

    /// <inheritdoc/>
    public IPicker CreatePicker(WeightedEndpoints endpoints) => new RoundRobinPicker(endpoints, _random, _position);
}

/// <summary>Creates <see cref="RoundRobinLoadBalancer"/> for <c>round_robin</c>.</summary>
public sealed class RoundRobinLoadBalancerFactory : ILoadBalancerFactory
{
    /// <inheritdoc/>
    public string Name => LoadBalancerNames.RoundRobin;

    /// <inheritdoc/>
    public ILoadBalancer Create(LoadBalancerContext context) => new RoundRobinLoadBalancer(context.Random);
}
