namespace Shoal.Cluster.LoadBalancing.LeastRequest;

/// <summary>
/// Fewest calls in flight relative to weight: <c>(in flight + 1) / weight</c>, lowest wins. Up to
/// <see cref="LoadBalancingOptions.LeastRequestFullScanMax"/> endpoints every one is compared;
/// beyond that <see cref="LoadBalancingOptions.LeastRequestChoices"/> weighted random candidates
/// are (Envoy's choice of N), which keeps the pick O(log n) and is nearly as good.
/// </summary>
public sealed class LeastRequestLoadBalancer : ILoadBalancer
{
    private readonly System.Random _random;
    private readonly int _choices;
    private readonly int _fullScanMax;

    /// <summary>Creates the balancer.</summary>
    public LeastRequestLoadBalancer(System.Random random, int choices = 2, int fullScanMax = 10)
    {
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _choices = Math.Max(2, choices);
        _fullScanMax = Math.Max(0, fullScanMax);
    }

    /// <inheritdoc/>
    public IPicker CreatePicker(WeightedEndpoints endpoints) => new LeastRequestPicker(endpoints, _random, _choices, _fullScanMax);

    private sealed class LeastRequestPicker(WeightedEndpoints endpoints, System.Random random, int choices, int fullScanMax)
        : PickerBase(endpoints, random)
    {
        protected override int PickIndex(in PickContext context)
        {
            var count = Endpoints.Count;
            if (count == 1)
            {
                return 0;
            }
            if (count <= fullScanMax)
            {
                // Start at a random offset so that ties do not all go to the first endpoint.
                var start = Random.Next(count);
                var best = start;
                for (var i = 1; i < count; i++)
                {
                    var candidate = start + i;
                    if (candidate >= count)
                    {
                        candidate -= count;
                    }
                    if (IsLess(candidate, best))
                    {
                        best = candidate;
                    }
                }
                return best;
            }
            var chosen = Endpoints.SampleIndex(Random);
            for (var i = 1; i < choices; i++)
            {
                var candidate = Endpoints.SampleIndex(Random);
                if (IsLess(candidate, chosen))
                {
                    chosen = candidate;
                }
            }
            return chosen;
        }

        private bool IsLess(int a, int b)
        {
            // (inFlightA + 1) / weightA < (inFlightB + 1) / weightB, without division.
            long loadA = Endpoints[a].InFlight + 1;
            long loadB = Endpoints[b].InFlight + 1;
            return loadA * Endpoints.WeightAt(b) < loadB * Endpoints.WeightAt(a);
        }
    }
}

/// <summary>Creates <see cref="LeastRequestLoadBalancer"/> for <c>least_request</c>.</summary>
public sealed class LeastRequestLoadBalancerFactory : ILoadBalancerFactory
{
    /// <inheritdoc/>
    public string Name => LoadBalancerNames.LeastRequest;

    /// <inheritdoc/>
    public ILoadBalancer Create(LoadBalancerContext context)
        => new LeastRequestLoadBalancer(context.Random, context.Options.LeastRequestChoices, context.Options.LeastRequestFullScanMax);
}
