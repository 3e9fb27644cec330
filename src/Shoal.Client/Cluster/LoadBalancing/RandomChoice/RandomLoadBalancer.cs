namespace Shoal.Client.Cluster.LoadBalancing.RandomChoice;

/// <summary>
/// Weighted random: each pick draws an endpoint with probability proportional to its effective
/// weight, by binary search over prefix sums (O(log n); O(1) when all weights are equal).
/// </summary>
public sealed class RandomLoadBalancer : ILoadBalancer
{
    private readonly Random _random;

    /// <summary>Creates the balancer.</summary>
    public RandomLoadBalancer(Random random)
    {
        _random = random ?? throw new ArgumentNullException(nameof(random));
    }

    /// <inheritdoc/>
    public IPicker CreatePicker(WeightedEndpoints endpoints) => new RandomPicker(endpoints, _random);

    private sealed class RandomPicker(WeightedEndpoints endpoints, Random random) : PickerBase(endpoints, random)
    {
        protected override int PickIndex(in PickContext context) => Endpoints.SampleIndex(Random);
    }
}

/// <summary>Creates <see cref="RandomLoadBalancer"/> for <c>random</c>.</summary>
public sealed class RandomLoadBalancerFactory : ILoadBalancerFactory
{
    /// <inheritdoc/>
    public string Name => LoadBalancerNames.Random;

    /// <inheritdoc/>
    public ILoadBalancer Create(LoadBalancerContext context) => new RandomLoadBalancer(context.Random);
}
