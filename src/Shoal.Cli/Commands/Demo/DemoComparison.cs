using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Forecasting;
using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Simulation;

namespace Shoal.Cli.Commands.Demo;

/// <summary>
/// What the demo would have cost with Shoal's policy and with the Kubernetes HPA algorithm on the
/// same recorded load: the autoscaling engineer's simulator, run on the demo's timeline.
/// </summary>
/// <remarks>
/// Time in the demo is compressed: the control interval stands for Kubernetes' 15 s sync period, so
/// every time constant of both policies (sync period, stabilisation windows, rate-limit periods) is
/// divided by the same factor. The startup delay is the one measured in the demo.
/// </remarks>
internal static class DemoComparison
{
    /// <summary>The HPA target utilisation compared with (Kubernetes' usual 70%).</summary>
    public const double HpaTarget = 0.7;

    /// <summary>Seconds of real control interval the demo's interval stands for.</summary>
    public static readonly TimeSpan RealInterval = TimeSpan.FromSeconds(15);

    /// <summary>Shoal's policy settings on demo time.</summary>
    public static ShoalPolicyOptions ShoalOptions(AutoscaleDemoSettings settings, TimeSpan leadTime)
    {
        var defaults = new ShoalPolicyOptions();
        var factor = RealInterval / settings.Interval;
        var ticks = Math.Max(4, (int)Math.Round(settings.Duration / settings.Interval));
        return defaults with
        {
            MinReplicas = settings.MinReplicas,
            MaxReplicas = settings.MaxReplicas,
            LeadTime = leadTime,
            ControlInterval = settings.Interval,
            ForecastInterval = settings.Interval,
            // At most a twelfth of the run, so even a short run shows the drain after the peak.
            ScaleDownStabilisation = Min(defaults.ScaleDownStabilisation / factor, settings.Duration / 12),
            MaxSeason = settings.Duration,
            MinErrorSamples = Math.Max(10, ticks / 6),
            ErrorWindow = ticks,
            MaxHeadroom = 0.6,
        };
    }

    /// <summary>
    /// The demo's forecaster: Holt (level + trend). One compressed day holds no season to learn, so
    /// the default ensemble's Holt-Winters member has nothing to go on; the trend is what sees a rise coming.
    /// </summary>
    public static IForecaster CreateForecaster() => new HoltForecaster(0.6, 0.3);

    /// <summary>Runs Shoal (simulated), HPA at 70% (simulated) on the recorded load, next to the demo as measured.</summary>
    public static IReadOnlyList<DemoPolicyOutcome> Run(IReadOnlyList<DemoTimelinePoint> timeline, AutoscaleDemoSettings settings, TimeSpan leadTime)
    {
        if (timeline.Count == 0)
        {
            return [];
        }
        var interval = settings.Interval;
        var measured = Measured(timeline, settings);
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
        var shoalPolicy = new ShoalScalingPolicy(ShoalOptions(settings, leadTime), new FixedCapacityModel(settings.Capacity), CreateForecaster());
        var shoal = ClusterSimulator.Run(trace, shoalPolicy, simulation);
        var factor = RealInterval / interval;
        var hpaOptions = new HpaOptions
        {
            TargetUtilisation = HpaTarget,
            MinReplicas = settings.MinReplicas,
            MaxReplicas = settings.MaxReplicas,
        };
        hpaOptions = hpaOptions with
        {
            SyncPeriod = hpaOptions.SyncPeriod / factor,
            ScaleDownStabilisation = hpaOptions.ScaleDownStabilisation / factor,
            ScaleUpPeriod = hpaOptions.ScaleUpPeriod / factor,
            ScaleDownPeriod = hpaOptions.ScaleDownPeriod / factor,
        };
        var hpa = ClusterSimulator.Run(trace, new HpaScalingPolicy(hpaOptions, new FixedCapacityModel(settings.Capacity)), simulation, HpaTarget);
        return [measured, Outcome("shoal (simulated)", shoal, interval), Outcome($"hpa-{HpaTarget * 100:0}% (simulated)", hpa, interval)];
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

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
