using Shoal.Client.Cluster.LoadBalancing.Internal;

namespace Shoal.Client.Cluster.LoadBalancing.LeastRequest;

/// <summary>
/// Fewest calls in flight relative to weight: <c>(in flight + 1) / weight</c>, lowest wins. Up to
/// <see cref="LoadBalancingOptions.LeastRequestFullScanMax"/> endpoints every one is compared;
/// beyond that <see cref="LoadBalancingOptions.LeastRequestChoices"/> weighted random candidates
/// are (Envoy's choice of N), which keeps the pick O(log n) and is nearly as good.
/// </summary>
/// <remarks>
/// With server load on (<see cref="LoadBalancingOptions.UseServerLoad"/>), an endpoint's calls in
/// flight are the larger of this client's count and the server's own (every client's, as of its
/// last window): the client's is fresher, the server's sees the other clients. Ties go to the
/// endpoint whose server reports the lower utilisation.
/// </remarks>
public sealed class LeastRequestLoadBalancer : ILoadBalancer
{
    private readonly Random _random;
    private readonly int _choices;
    private readonly int _fullScanMax;
    private readonly CoarseClock? _serverLoadClock;

    /// <summary>Creates the balancer.</summary>
    /// <param name="random">The random source.</param>
    /// <param name="choices">Candidates compared beyond <paramref name="fullScanMax"/> endpoints.</param>
    /// <param name="fullScanMax">Up to this many endpoints all are compared.</param>
    /// <param name="serverLoadClock">The clock of report staleness when server load reports count; null (the default) ignores them.</param>
    public LeastRequestLoadBalancer(Random random, int choices = 2, int fullScanMax = 10, TimeProvider? serverLoadClock = null)
    {
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _choices = Math.Max(2, choices);
        _fullScanMax = Math.Max(0, fullScanMax);
        _serverLoadClock = serverLoadClock is null ? null : new CoarseClock(serverLoadClock);
    }

    /// <inheritdoc/>
    public IPicker CreatePicker(WeightedEndpoints endpoints) => new LeastRequestPicker(endpoints, _random, _choices, _fullScanMax, _serverLoadClock);

    private sealed class LeastRequestPicker(WeightedEndpoints endpoints, Random random, int choices, int fullScanMax, CoarseClock? serverLoadClock)
        : PickerBase(endpoints, random)
    {
        protected override int PickIndex(in PickContext context)
        {
            var count = Endpoints.Count;
            if (count == 1)
            {
                return 0;
            }
            // Read once per pick: -1 means server load is off and IsLess never looks at reports.
            var now = serverLoadClock?.GetTimestamp() ?? -1;
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
                    if (IsLess(candidate, best, now))
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
                if (IsLess(candidate, chosen, now))
                {
                    chosen = candidate;
                }
            }
            return chosen;
        }

        private bool IsLess(int a, int b, long now)
        {
            // (inFlightA + 1) / weightA < (inFlightB + 1) / weightB, without division.
            if (now < 0)
            {
                long loadA = Endpoints[a].InFlight + 1;
                long loadB = Endpoints[b].InFlight + 1;
                return loadA * Endpoints.WeightAt(b) < loadB * Endpoints.WeightAt(a);
            }
            var serverA = Endpoints[a].ServerLoadAt(now);
            var serverB = Endpoints[b].ServerLoadAt(now);
            var left = (Math.Max(Endpoints[a].InFlight, serverA?.InFlight ?? 0) + 1) * Endpoints.WeightAt(b);
            var right = (Math.Max(Endpoints[b].InFlight, serverB?.InFlight ?? 0) + 1) * Endpoints.WeightAt(a);
            if (left != right)
            {
                return left < right;
            }
            return (serverA?.Utilization ?? 0) < (serverB?.Utilization ?? 0);
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
        => new LeastRequestLoadBalancer(context.Random, context.Options.LeastRequestChoices, context.Options.LeastRequestFullScanMax,
            context.Options.UseServerLoad ? context.TimeProvider : null);
}
