using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Hosting;
using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Simulation;

namespace Shoal.Cli.Commands.Demo;

/// <summary>
/// The demo's autoscaler settings on compressed time, and what the Kubernetes HPA would have done on the same
/// recorded load at the same cost: the autoscaling engineer's simulator, run on the demo's timeline.
/// </summary>
/// <remarks>
/// Time in the demo is compressed: the control interval stands for the 15 s of a real control loop, so every
/// time constant of both policies (sync period, stabilisation windows, rate-limit periods) is divided by the
/// same factor. The startup delay is the one measured in the demo.
/// </remarks>
internal static class DemoComparison
{
    /// <summary>The service the demo scales.</summary>
    public const string Service = "hello.Greeter";

    /// <summary>The window of the instances' load reports: two per control interval, so every tick reads a fresh one.</summary>
    public static readonly TimeSpan LoadWindow = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The HPA targets swept: the usual 40%..90% and on to 100%, so that its cheapest point can reach a policy that
    /// provisions close to the load.
    /// </summary>
    public static readonly IReadOnlyList<double> HpaTargets = [.. FairComparison.DefaultTargets, 0.95, 1.0];

    /// <summary>Seconds of real control interval the demo's interval stands for.</summary>
    public static readonly TimeSpan RealInterval = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The settings of the autoscaler the demo runs (the same <see cref="ShoalAutoscaler"/> as <c>shoal autoscale run</c>
    /// and <c>AddShoalAutoscaler</c>): the default policy with its time constants compressed.
    /// </summary>
    public static ShoalAutoscalerOptions AutoscalerOptions(AutoscaleDemoSettings settings, string registry, TimeSpan leadTime) => new()
    {
        Registry = registry,
        Service = Service,
        MinReplicas = settings.MinReplicas,
        MaxReplicas = settings.MaxReplicas,
        Capacity = settings.Capacity,
        Interval = settings.Interval,
        LeadTime = leadTime,
        ForecastInterval = settings.Interval,
        ScaleDownStabilisation = Stabilisation(settings),
        // A killed instance stops counting after three missed reports.
        StaleAfter = LoadWindow * 3,
        // One compressed day has no season to keep and no more errors than its own ticks.
        ErrorWindow = settings.Duration,
        MaxSeason = settings.Duration,
    };

    /// <summary>The same policy's settings for the simulator.</summary>
    public static ShoalPolicyOptions PolicyOptions(AutoscaleDemoSettings settings, TimeSpan leadTime)
    {
        var options = AutoscalerOptions(settings, "registry://127.0.0.1:1", leadTime);
        return new ShoalPolicyOptions
        {
            MinReplicas = options.MinReplicas,
            MaxReplicas = options.MaxReplicas,
            LeadTime = options.LeadTime,
            ControlInterval = options.Interval,
            ForecastInterval = options.Interval,
            ScaleDownStabilisation = options.ScaleDownStabilisation,
            Nines = options.Nines,
            ErrorWindow = options.ErrorWindow,
            MaxSeason = options.MaxSeason,
        };
    }

    /// <summary>
    /// The demo as measured; Shoal's policy simulated on the recorded load; and the HPA at the simulated Shoal's
    /// cost (its sweep over target utilisations, interpolated at those replica-minutes), so the two are compared
    /// at equal cost.
    /// </summary>
    public static IReadOnlyList<DemoPolicyOutcome> Run(IReadOnlyList<DemoTimelinePoint> timeline, AutoscaleDemoSettings settings, TimeSpan leadTime)
    {
        if (timeline.Count == 0)
        {
            return [];
        }

        var interval = settings.Interval;
        var trace = new LoadTrace("demo", interval, [.. timeline.Select(p => p.Load * interval.TotalSeconds)]);
        var simulation = new SimulationOptions
        {
            CapacityPerInstance = settings.Capacity,
            Startup = leadTime,
            Drain = TimeSpan.FromSeconds(1),
            ControlInterval = interval,
            MinReplicas = settings.MinReplicas,
            MaxReplicas = settings.MaxReplicas,
            InitialReplicas = settings.MinReplicas,
        };
        var shoal = ClusterSimulator.Run(trace, new ShoalScalingPolicy(PolicyOptions(settings, leadTime), new FixedCapacityModel(settings.Capacity)), simulation);
        var hpa = HpaTargets
            .Select(t => ClusterSimulator.Run(trace, new HpaScalingPolicy(HpaOptions(settings, t), new FixedCapacityModel(settings.Capacity)), simulation, t))
            .ToArray();
        return [Measured(timeline, settings), Outcome("shoal (simulated)", shoal, interval), AtCost(hpa, shoal.ReplicaMinutes, interval)];
    }

    private static TimeSpan Stabilisation(AutoscaleDemoSettings settings)
    {
        var compressed = new ShoalPolicyOptions().ScaleDownStabilisation / (RealInterval / settings.Interval);
        // At most a twelfth of the run, so even a short run shows the drain after the peak.
        return compressed < settings.Duration / 12 ? compressed : settings.Duration / 12;
    }

    private static HpaOptions HpaOptions(AutoscaleDemoSettings settings, double target)
    {
        var factor = RealInterval / settings.Interval;
        var defaults = new HpaOptions();
        return defaults with
        {
            TargetUtilisation = target,
            MinReplicas = settings.MinReplicas,
            MaxReplicas = settings.MaxReplicas,
            SyncPeriod = defaults.SyncPeriod / factor,
            ScaleDownStabilisation = defaults.ScaleDownStabilisation / factor,
            ScaleUpPeriod = defaults.ScaleUpPeriod / factor,
            ScaleDownPeriod = defaults.ScaleDownPeriod / factor,
        };
    }

    /// <summary>The HPA's outcome at a cost, linear between the two targets whose costs bracket it (the nearest end outside them).</summary>
    private static DemoPolicyOutcome AtCost(IReadOnlyList<SimulationReport> hpa, double cost, TimeSpan interval)
    {
        var curve = hpa.OrderBy(r => r.ReplicaMinutes).ToArray();
        var above = Array.FindIndex(curve, r => r.ReplicaMinutes >= cost);
        var outside = above <= 0 && !(above == 0 && curve[0].ReplicaMinutes - cost < 1e-9);
        var (a, b) = above switch
        {
            -1 => (curve[^1], curve[^1]),
            0 => (curve[0], curve[0]),
            _ => (curve[above - 1], curve[above]),
        };
        var span = b.ReplicaMinutes - a.ReplicaMinutes;
        var f = span > 0 ? Math.Clamp((cost - a.ReplicaMinutes) / span, 0, 1) : 0;
        double Mix(Func<SimulationReport, double> value) => value(a) + (f * (value(b) - value(a)));
        var target = Mix(r => r.Target ?? 0);
        return new DemoPolicyOutcome
        {
            // Outside the sweep's costs the nearest end stands in, and says so.
            Policy = FormattableString.Invariant($"hpa-{target * 100:0}% (simulated, {(outside ? "nearest" : "equal")} cost)"),
            ReplicaMinutes = Math.Round(Mix(r => r.ReplicaMinutes), 2),
            OverloadedIntervals = (int)Math.Round(Mix(r => r.OverloadedMinutes) * 60 / interval.TotalSeconds),
            UnservedRequests = Math.Round(Mix(r => r.UnservedRequests)),
            ScaleEvents = (int)Math.Round(Mix(r => r.ScaleEvents)),
        };
    }

    private static DemoPolicyOutcome Measured(IReadOnlyList<DemoTimelinePoint> timeline, AutoscaleDemoSettings settings)
    {
        var seconds = settings.Interval.TotalSeconds;
        var overloaded = timeline.Where(p => p.Load > p.Ready * settings.Capacity + 1e-9).ToArray();
        var changes = 0;
        for (var i = 1; i < timeline.Count; i++)
        {
            changes += timeline[i].Replicas != timeline[i - 1].Replicas ? 1 : 0;
        }
        return new DemoPolicyOutcome
        {
            Policy = "demo (measured)",
            ReplicaMinutes = Math.Round(timeline.Sum(p => Math.Max(p.Ready, p.Replicas)) * seconds / 60, 2),
            OverloadedIntervals = overloaded.Length,
            UnservedRequests = Math.Round(overloaded.Sum(p => (p.Load - (p.Ready * settings.Capacity)) * seconds)),
            ScaleEvents = changes,
        };
    }

    private static DemoPolicyOutcome Outcome(string name, SimulationReport report, TimeSpan interval) => new()
    {
        Policy = name,
        ReplicaMinutes = Math.Round(report.ReplicaMinutes, 2),
        OverloadedIntervals = (int)Math.Round(report.OverloadedMinutes * 60 / interval.TotalSeconds),
        UnservedRequests = Math.Round(report.UnservedRequests),
        ScaleEvents = report.ScaleEvents,
    };
}
