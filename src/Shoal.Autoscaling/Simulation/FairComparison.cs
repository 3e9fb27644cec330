using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Forecasting;
using Shoal.Autoscaling.Policy;

namespace Shoal.Autoscaling.Simulation;

/// <summary>
/// Runs Shoal and the HPA baseline swept over target utilisations on the same trace and cluster, and
/// compares them at equal cost.
/// </summary>
/// <remarks>
/// The sweep gives HPA's cost/overload curve (replica-minutes against overloaded minutes). HPA's
/// overloaded minutes at Shoal's replica-minutes are interpolated linearly between the two HPA points
/// whose costs bracket Shoal's; outside the curve the nearest end is used and the result says so.
/// ratio = Shoal's overloaded minutes / HPA's at the same cost (0 when both are 0).
/// </remarks>
public static class FairComparison
{
    /// <summary>The default sweep: 40% to 90% in steps of 5.</summary>
    public static readonly IReadOnlyList<double> DefaultTargets = [0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90];

    /// <summary>Runs the comparison.</summary>
    /// <param name="trace">The load.</param>
    /// <param name="simulation">The cluster model.</param>
    /// <param name="shoal">Shoal's policy settings (lead time, bounds and control interval are taken from the cluster model).</param>
    /// <param name="targets">HPA targets, or null for <see cref="DefaultTargets"/>.</param>
    /// <returns>The comparison.</returns>
    public static ComparisonResult Run(LoadTrace trace, SimulationOptions simulation, ShoalPolicyOptions? shoal = null, IReadOnlyList<double>? targets = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(simulation);
        var shoalReport = ClusterSimulator.Run(trace, CreateShoal(trace, simulation, shoal), simulation);
        return Compare(shoalReport, RunHpa(trace, simulation, targets));
    }

    /// <summary>Runs the comparison with a forecaster of the caller's choice for Shoal.</summary>
    /// <param name="trace">The load.</param>
    /// <param name="simulation">The cluster model.</param>
    /// <param name="shoal">Shoal's policy settings, or null for the defaults.</param>
    /// <param name="targets">HPA targets, or null for <see cref="DefaultTargets"/>.</param>
    /// <param name="forecaster">A fresh forecaster over the forecast windows (it keeps state; use it for one run only).</param>
    /// <returns>The comparison.</returns>
    public static ComparisonResult Run(LoadTrace trace, SimulationOptions simulation, ShoalPolicyOptions? shoal, IReadOnlyList<double>? targets, IForecaster forecaster)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(forecaster);
        var shoalReport = ClusterSimulator.Run(trace, CreateShoal(trace, simulation, shoal, forecaster), simulation);
        return Compare(shoalReport, RunHpa(trace, simulation, targets));
    }

    /// <summary>Creates Shoal's policy for a simulated cluster.</summary>
    /// <param name="trace">The trace (its interval is the forecaster's sample interval when it is longer than a control tick).</param>
    /// <param name="simulation">The cluster model.</param>
    /// <param name="options">Shoal's settings, or null for the defaults.</param>
    /// <returns>The policy.</returns>
    public static ShoalScalingPolicy CreateShoal(LoadTrace trace, SimulationOptions simulation, ShoalPolicyOptions? options = null) =>
        CreateShoal(trace, simulation, options, null);

    /// <summary>Creates Shoal's policy for a simulated cluster, with a forecaster of the caller's choice.</summary>
    /// <param name="trace">The trace (its interval is the forecaster's sample interval when it is longer than a control tick).</param>
    /// <param name="simulation">The cluster model.</param>
    /// <param name="options">Shoal's settings, or null for the defaults.</param>
    /// <param name="forecaster">
    /// A fresh forecaster fed one sample per forecast window (the trace's interval, or the control interval
    /// when that is longer), or null for the default ensemble. It keeps state: use it for one policy only.
    /// </param>
    /// <returns>The policy.</returns>
    public static ShoalScalingPolicy CreateShoal(LoadTrace trace, SimulationOptions simulation, ShoalPolicyOptions? options, IForecaster? forecaster)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(simulation);
        var baseOptions = options ?? new ShoalPolicyOptions();
        var forecastInterval = trace.Interval > simulation.ControlInterval ? trace.Interval : simulation.ControlInterval;
        var settings = baseOptions with
        {
            LeadTime = simulation.Startup,
            ControlInterval = simulation.ControlInterval,
            ForecastInterval = forecastInterval,
            MinReplicas = simulation.MinReplicas,
            MaxReplicas = simulation.MaxReplicas,
        };
        return new ShoalScalingPolicy(settings, new FixedCapacityModel(simulation.CapacityPerInstance), forecaster);
    }

    /// <summary>Creates the HPA baseline for a simulated cluster.</summary>
    /// <param name="simulation">The cluster model.</param>
    /// <param name="target">The target utilisation.</param>
    /// <returns>The policy.</returns>
    public static HpaScalingPolicy CreateHpa(SimulationOptions simulation, double target)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        var options = new HpaOptions
        {
            TargetUtilisation = target,
            MinReplicas = simulation.MinReplicas,
            MaxReplicas = simulation.MaxReplicas,
        };
        return new HpaScalingPolicy(options, new FixedCapacityModel(simulation.CapacityPerInstance));
    }

    /// <summary>Compares a Shoal run with HPA runs at equal cost.</summary>
    /// <param name="shoal">Shoal's run.</param>
    /// <param name="hpa">The HPA runs.</param>
    /// <returns>The comparison.</returns>
    public static ComparisonResult Compare(SimulationReport shoal, IReadOnlyList<SimulationReport> hpa)
    {
        ArgumentNullException.ThrowIfNull(shoal);
        ArgumentNullException.ThrowIfNull(hpa);
        if (hpa.Count == 0)
        {
            throw new ArgumentException("The HPA sweep is empty.", nameof(hpa));
        }

        var (atCost, note) = Interpolate(hpa, shoal.ReplicaMinutes);
        double? ratio;
        if (atCost > 0)
        {
            ratio = shoal.OverloadedMinutes / atCost;
        }
        else if (shoal.OverloadedMinutes <= 0)
        {
            ratio = 0;
            note = Join(note, "neither Shoal nor HPA at this cost was ever overloaded");
        }
        else
        {
            ratio = null;
            note = Join(note, "HPA at this cost was never overloaded; the ratio is undefined");
        }

        return new ComparisonResult { Shoal = shoal, Hpa = hpa, HpaOverloadedAtShoalCost = atCost, Ratio = ratio, Note = note };
    }

    /// <summary>HPA's overloaded minutes at a given cost, linear between the bracketing points of the curve.</summary>
    /// <param name="hpa">The HPA runs.</param>
    /// <param name="cost">The replica-minutes.</param>
    /// <returns>The overloaded minutes, and a note when the cost was outside the curve.</returns>
    public static (double Overloaded, string? Note) Interpolate(IReadOnlyList<SimulationReport> hpa, double cost)
    {
        ArgumentNullException.ThrowIfNull(hpa);
        var curve = hpa.OrderBy(r => r.ReplicaMinutes).ToArray();
        if (cost <= curve[0].ReplicaMinutes)
        {
            var note = cost < curve[0].ReplicaMinutes
                ? FormattableString.Invariant($"Shoal's cost ({cost:F0}) is below the cheapest HPA target ({curve[0].Policy}, {curve[0].ReplicaMinutes:F0}); clamped to it")
                : null;
            return (curve[0].OverloadedMinutes, note);
        }

        if (cost >= curve[^1].ReplicaMinutes)
        {
            var note = cost > curve[^1].ReplicaMinutes
                ? FormattableString.Invariant($"Shoal's cost ({cost:F0}) is above the dearest HPA target ({curve[^1].Policy}, {curve[^1].ReplicaMinutes:F0}); clamped to it")
                : null;
            return (curve[^1].OverloadedMinutes, note);
        }

        for (var i = 1; i < curve.Length; i++)
        {
            if (cost <= curve[i].ReplicaMinutes)
            {
                var (a, b) = (curve[i - 1], curve[i]);
                var span = b.ReplicaMinutes - a.ReplicaMinutes;
                var fraction = span > 0 ? (cost - a.ReplicaMinutes) / span : 0;
                return (a.OverloadedMinutes + (fraction * (b.OverloadedMinutes - a.OverloadedMinutes)), null);
            }
        }

        return (curve[^1].OverloadedMinutes, null);
    }

    private static SimulationReport[] RunHpa(LoadTrace trace, SimulationOptions simulation, IReadOnlyList<double>? targets) =>
        (targets ?? DefaultTargets)
            .Order()
            .Select(t => ClusterSimulator.Run(trace, CreateHpa(simulation, t), simulation, t))
            .ToArray();

    private static string Join(string? a, string b) => a is null ? b : a + "; " + b;
}
