using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Shoal.Autoscaling.Simulation;

/// <summary>The frontier comparison as text and JSON.</summary>
public static partial class ReportFormatter
{
    /// <summary>
    /// Formats a frontier comparison as JSON: the fields of the single-point comparison (<c>shoal</c>,
    /// <c>hpa</c>, <c>hpa_overloaded_minutes_at_shoal_cost</c>, <c>ratio</c>), then <c>shoal_sweep</c>
    /// (reports with <c>knob</c>), <c>seasonal_naive</c>, <c>cost_points</c>, <c>frontier_ratio</c>,
    /// <c>seasonal_naive_ratio</c>, <c>flapping_ratio</c>, <c>sweep_spans_hpa</c> and <c>goal_met</c>.
    /// </summary>
    /// <param name="result">The comparison.</param>
    /// <param name="includeTimeline">Whether to include the timeline of Shoal's default run.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(FrontierResult result, bool includeTimeline = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        var single = FairComparison.Compare(result.Shoal, result.Hpa);
        return Write(w =>
        {
            w.WriteStartObject();
            WriteSingle(w, single, includeTimeline);
            w.WriteStartArray("shoal_sweep");
            foreach (var run in result.ShoalSweep)
            {
                WriteReport(w, run, includeTimeline: false);
            }

            w.WriteEndArray();
            w.WriteStartArray("seasonal_naive");
            foreach (var run in result.SeasonalNaive)
            {
                WriteReport(w, run, includeTimeline: false);
            }

            w.WriteEndArray();
            w.WriteStartArray("cost_points");
            foreach (var p in result.CostPoints)
            {
                w.WriteStartObject();
                w.WriteNumber("hpa_target", p.Target);
                w.WriteNumber("replica_minutes", Math.Round(p.ReplicaMinutes, 2));
                w.WriteNumber("hpa_unserved_requests", Math.Round(p.Hpa));
                WriteNullable(w, "shoal_unserved_requests", p.Shoal is { } s ? Math.Round(s) : null);
                WriteNullable(w, "seasonal_naive_unserved_requests", p.SeasonalNaive is { } n ? Math.Round(n) : null);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteNullable(w, "frontier_ratio", Round(result.FrontierRatio));
            WriteNullable(w, "seasonal_naive_ratio", Round(result.SeasonalNaiveRatio));
            WriteNullable(w, "flapping_ratio", Round(result.FlappingRatio));
            w.WriteBoolean("sweep_spans_hpa", result.SweepSpansHpa);
            w.WriteBoolean("goal_met", result.Meets);
            w.WriteEndObject();
        });
    }

    /// <summary>Formats a frontier comparison as text: the three sweeps (Pareto points starred), the cost points and the ratios.</summary>
    /// <param name="result">The comparison.</param>
    /// <returns>The text.</returns>
    public static string ToText(FrontierResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var b = new StringBuilder();
        var s = result.Shoal;
        b.AppendLine(Invariant, $"trace {s.Trace}: {s.DurationMinutes:F0} min, capacity {s.CapacityPerInstance:F1} req/s per replica");
        b.AppendLine("late = unserved_requests (offered beyond the ready capacity); * = a point of that policy's frontier;");
        b.AppendLine("knob = Shoal's nines (the quantile 1 - 10^-nines), or the target utilisation of hpa and seasonal-naive");
        b.AppendLine(Invariant, $"{"policy",-20} {"knob",6} {"overloaded_min",15} {"late_requests",14} {"replica_min",12} {"scale_events",13}");
        AppendSweep(b, result.ShoalSweep, r => r.Knob is { } k ? k.ToString("0.###", Invariant) : "-", s);
        AppendSweep(b, result.Hpa, r => r.Target is { } t ? t.ToString("F2", Invariant) : "-", null);
        AppendSweep(b, result.SeasonalNaive, r => r.Target is { } t ? t.ToString("F2", Invariant) : "-", null);
        var single = FairComparison.Compare(s, result.Hpa);
        b.AppendLine();
        b.AppendLine(Invariant, $"ratio (Shoal / HPA overloaded minutes at equal cost): {Value(single.Ratio)} (Shoal's default knob alone; the frontier below is what counts)");
        b.AppendLine();
        b.AppendLine("at HPA's cost   replica_min   hpa_late  shoal_late  naive_late");
        foreach (var p in result.CostPoints)
        {
            b.AppendLine(Invariant, $"hpa-{p.Target * 100:0}%{string.Empty,7} {p.ReplicaMinutes,11:F0} {p.Hpa,10:F0} {Late(p.Shoal),11} {Late(p.SeasonalNaive),11}");
        }

        b.AppendLine(Invariant, $"frontier ratio (Shoal / HPA late requests, summed at the four costs): {Value(result.FrontierRatio)}  (goal <= {FrontierComparison.GoalRatio}: {Verdict(result.FrontierRatio <= FrontierComparison.GoalRatio)})");
        b.AppendLine(Invariant, $"seasonal-naive / HPA at the same costs: {Value(result.SeasonalNaiveRatio)}");
        b.AppendLine(Invariant, $"flapping ratio (Shoal's scale events at the default knob / HPA-70%'s): {Value(result.FlappingRatio)} ({s.ScaleEvents} / {result.Hpa70?.ScaleEvents})  (goal <= {FrontierComparison.GoalFlapping}: {Verdict(result.FlappingRatio <= FrontierComparison.GoalFlapping)})");
        if (!result.SweepSpansHpa)
        {
            b.AppendLine("note: Shoal's sweep does not span HPA-40%'s cost down to HPA-90%'s");
        }

        return b.ToString();
    }

    private static void AppendSweep(StringBuilder b, IReadOnlyList<SimulationReport> runs, Func<SimulationReport, string> knob, SimulationReport? byDefault)
    {
        if (runs.Count == 0)
        {
            return;
        }

        var frontier = Frontier.Of(runs).Points;
        foreach (var r in runs.OrderBy(r => r.ReplicaMinutes))
        {
            var label = r.Policy + (byDefault is not null && r.Knob == byDefault.Knob ? " (default)" : string.Empty);
            var star = frontier.Contains(r) ? "*" : " ";
            b.AppendLine(Invariant, $"{label,-20} {knob(r),6} {r.OverloadedMinutes,15:F2} {r.UnservedRequests,14:F0} {r.ReplicaMinutes,12:F0} {r.ScaleEvents,13}{star}");
        }
    }

    private static string Late(double? value) => value is { } v ? v.ToString("F0", Invariant) : "never";

    private static string Value(double? value) => value is { } v ? v.ToString("F3", Invariant) : "undefined";

    private static string Verdict(bool met) => met ? "met" : "not met";

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
