using Shoal.Client.Cluster.LoadBalancing.Internal;

namespace Shoal.Client.Cluster.LoadBalancing.P2cEwma;

/// <summary>
/// Power of two choices on peak-EWMA latency (Finagle's <c>P2CPeakEwma</c>): draw two endpoints
/// by weight, send the call to the one with the lower cost
/// <c>peak-EWMA latency × (in flight + 1) / weight</c>. The default policy.
/// </summary>
/// <remarks>
/// The strategy (two random choices) and the load metric (peak EWMA, kept by each
/// <see cref="Endpoints.ClusterEndpoint"/> from call completions) are apart, as in Finagle, so the
/// same metric feeds the autoscaler. A slow endpoint's latency rises at once (peak) and decays
/// slowly, so it loses most comparisons; its cost still decays while it is idle, so it is probed
/// again. An endpoint without a settled latency (<see cref="Endpoints.ClusterEndpoint.HasSettledLatency"/>:
/// fewer than two answers, the first of which paid for the connection and the server's warm-up) costs
/// nothing while idle and a large penalty while a call is in flight: a new endpoint is neither flooded
/// before it answers nor starved by a slow first answer for the tens of seconds the decay would take.
/// <para>
/// With server load on (<see cref="LoadBalancingOptions.UseServerLoad"/>), the cost of an endpoint
/// with a fresh report is multiplied by <c>1 / (1 − min(utilisation, 0.95))</c>: the factor by
/// which an M/M/1 server's response time exceeds its service time at that utilisation. The peak
/// EWMA sees only this client's calls and lags by its decay; the server's utilisation counts every
/// client's load and says how much queueing is coming. Equal utilisations cancel out; the cap
/// (factor 20) keeps a saturated server probed, so it gets traffic back as soon as it reports relief.
/// </para>
/// </remarks>
public sealed class P2cEwmaLoadBalancer : ILoadBalancer
{
    /// <summary>The cost of an endpoint that has calls in flight but no latency sample yet.</summary>
    internal const double Penalty = 1e12;

    private readonly Random _random;
    private readonly CoarseClock _clock;
    private readonly bool _useServerLoad;

    /// <summary>Creates the balancer.</summary>
    /// <param name="random">The random source of the two choices.</param>
    /// <param name="timeProvider">The clock of the latency decay and of report staleness.</param>
    /// <param name="useServerLoad">Whether endpoints' server load reports weigh on the cost.</param>
    public P2cEwmaLoadBalancer(Random random, TimeProvider timeProvider, bool useServerLoad = false)
    {
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _clock = new CoarseClock(timeProvider ?? throw new ArgumentNullException(nameof(timeProvider)));
        _useServerLoad = useServerLoad;
    }

    /// <inheritdoc/>
    public IPicker CreatePicker(WeightedEndpoints endpoints) => new P2cEwmaPicker(endpoints, _random, _clock, _useServerLoad);

    private sealed class P2cEwmaPicker(WeightedEndpoints endpoints, Random random, CoarseClock clock, bool useServerLoad)
        : PickerBase(endpoints, random)
    {
        protected override int PickIndex(in PickContext context)
        {
            var count = Endpoints.Count;
            if (count == 1)
            {
                return 0;
            }
            var a = Endpoints.SampleIndex(Random);
            var b = Endpoints.SampleIndex(Random);
            if (a == b)
            {
                b = a + 1 + Random.Next(count - 1);
                if (b >= count)
                {
                    b -= count;
                }
            }
            var now = clock.GetTimestamp();
            return Cost(a, now) <= Cost(b, now) ? a : b;
        }

        private double Cost(int index, long now)
        {
            var endpoint = Endpoints[index];
            var inFlight = endpoint.InFlight;
            var latency = endpoint.PeakEwmaMillisecondsAt(now);
            if (latency <= 0 || !endpoint.HasSettledLatency)
            {
                return inFlight == 0 ? 0 : Penalty + inFlight;
            }
            var cost = latency * (inFlight + 1) / Endpoints.WeightAt(index);
            if (useServerLoad && endpoint.ServerLoadAt(now) is { } reading)
            {
                cost *= reading.CostFactor;
            }
            return cost;
        }
    }
}

/// <summary>Creates <see cref="P2cEwmaLoadBalancer"/> for <c>p2c_ewma</c>.</summary>
public sealed class P2cEwmaLoadBalancerFactory : ILoadBalancerFactory
{
    /// <inheritdoc/>
    public string Name => LoadBalancerNames.P2cEwma;

    /// <inheritdoc/>
    public ILoadBalancer Create(LoadBalancerContext context) => new P2cEwmaLoadBalancer(context.Random, context.TimeProvider, context.Options.UseServerLoad);
}
