using Shoal.Client.Cluster.LoadBalancing.Internal;

namespace Shoal.Client.Cluster.LoadBalancing.ConsistentHash;

/// <summary>
/// A hash ring with virtual nodes (Ketama style), keyed by the value of a request header
/// (<see cref="LoadBalancingOptions.HashHeader"/>). Calls with the same key go to the same
/// endpoint while it is ready; when an endpoint joins or leaves only the keys between it and its
/// ring neighbours move (about 1/n of them). A call without the header is placed at random.
/// </summary>
/// <remarks>
/// Virtual nodes are placed by hashing the endpoint's address, so a restarted instance on the
/// same address gets its keys back. Their count follows the instance's configured weight, not the
/// warm-up weight: ramping a ring would move keys back and forth during warm-up.
/// </remarks>
public sealed class ConsistentHashLoadBalancer : ILoadBalancer
{
    private readonly Random _random;
    private readonly string _header;
    private readonly int _virtualNodes;
    private readonly int _maxRingSize;

    /// <summary>Creates the balancer.</summary>
    public ConsistentHashLoadBalancer(Random random, string header, int virtualNodes = 100, int maxRingSize = 1 << 20)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(header);
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _header = header.ToLowerInvariant();
        _virtualNodes = Math.Max(1, virtualNodes);
        _maxRingSize = Math.Max(1, maxRingSize);
    }

    /// <inheritdoc/>
    public IPicker CreatePicker(WeightedEndpoints endpoints) => new ConsistentHashPicker(endpoints, _random, _header, _virtualNodes, _maxRingSize);
}

/// <summary>Creates <see cref="ConsistentHashLoadBalancer"/> for <c>consistent_hash</c>.</summary>
public sealed class ConsistentHashLoadBalancerFactory : ILoadBalancerFactory
{
    /// <inheritdoc/>
    public string Name => LoadBalancerNames.ConsistentHash;

    /// <inheritdoc/>
    public ILoadBalancer Create(LoadBalancerContext context)
        => new ConsistentHashLoadBalancer(context.Random, context.Options.HashHeader, context.Options.VirtualNodes, context.Options.MaxRingSize);
}
