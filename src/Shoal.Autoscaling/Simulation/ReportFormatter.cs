using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Shoal.Autoscaling.Simulation;

/// <summary>Writes simulation reports and comparisons as text tables or JSON (snake_case keys).</summary>
public static partial class ReportFormatter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Formats one run as JSON: one document with the report and its timeline.</summary>
    /// <param name="report">The run.</param>
    /// <param name="includeTimeline">Whether to include the timeline.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(SimulationReport report, bool includeTimeline = true) =>
        Write(w => WriteReport(w, report, includeTimeline));

    /// <summary>Formats a comparison as JSON: {"shoal": report, "hpa": [reports with "target"], "ratio": x, ...}.</summary>
    /// <param name="result">The comparison.</param>
    /// <param name="includeTimeline">Whether to include Shoal's timeline.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(ComparisonResult result, bool includeTimeline = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Write(w =>
        {
            w.WriteStartObject();
            WriteSingle(w, result, includeTimeline);
            w.WriteEndObject();
        });
    }

    private static void WriteSingle(Utf8JsonWriter w, ComparisonResult result, bool includeTimeline)
    {
        w.WriteString("trace", result.Shoal.Trace);
        w.WritePropertyName("shoal");
        WriteReport(w, result.Shoal, includeTimeline);
        w.WriteStartArray("hpa");
        foreach (var hpa in result.Hpa)
        {
            WriteReport(w, hpa, includeTimeline: false);
        }

        w.WriteEndArray();
        w.WriteNumber("hpa_overloaded_minutes_at_shoal_cost", Math.Round(result.HpaOverloadedAtShoalCost, 3));
        if (result.Ratio is { } ratio)
        {
            w.WriteNumber("ratio", Math.Round(ratio, 4));
        }
        else
        {
            w.WriteNull("ratio");
        }

        if (result.Note is { } note)
        {
            w.WriteString("note", note);
        }
    }

    /// <summary>Formats one run as readable text.</summary>
    /// <param name="report">The run.</param>
    /// <returns>The text.</returns>
    public static string ToText(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var b = new StringBuilder();
        b.AppendLine(Invariant, $"trace:              {report.Trace} ({report.DurationMinutes:F0} min, capacity {report.CapacityPerInstance:F1} req/s per replica)");
        b.AppendLine(Invariant, $"policy:             {report.Policy}");
        b.AppendLine(Invariant, $"overloaded_minutes: {report.OverloadedMinutes:F2}");
        b.AppendLine(Invariant, $"unserved_requests:  {report.UnservedRequests:F0} of {report.TotalRequests:F0}");
        b.AppendLine(Invariant, $"replica_minutes:    {report.ReplicaMinutes:F0}");
        b.AppendLine(Invariant, $"scale_events:       {report.ScaleEvents} ({report.ScaleUps} up, {report.ScaleDowns} down)");
        b.AppendLine(Invariant, $"peak_replicas:      {report.PeakReplicas}");
        return b.ToString();
    }

    /// <summary>Formats a comparison as a table of Shoal against the HPA sweep, with the ratio.</summary>
    /// <param name="result">The comparison.</param>
    /// <returns>The text.</returns>
    public static string ToText(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var b = new StringBuilder();
        var s = result.Shoal;
        b.AppendLine(Invariant, $"trace {s.Trace}: {s.DurationMinutes:F0} min, capacity {s.CapacityPerInstance:F1} req/s per replica");
        b.AppendLine("policy     target  overloaded_min  unserved_requests  replica_min  scale_events");
        AppendRow(b, s);
        foreach (var hpa in result.Hpa)
        {
            AppendRow(b, hpa);
        }

        b.AppendLine(Invariant, $"HPA overloaded minutes at Shoal's cost ({s.ReplicaMinutes:F0} replica-min): {result.HpaOverloadedAtShoalCost:F2}");
        var ratio = result.Ratio is { } r ? r.ToString("F3", Invariant) : "undefined";
        var verdict = result.Ratio is { } v ? (v <= 0.5 ? "met" : "not met") : "not met";
        b.AppendLine(Invariant, $"ratio (Shoal / HPA overloaded minutes at equal cost): {ratio}  (goal <= 0.5: {verdict})");
        if (result.Note is { } note)
        {
            b.AppendLine("note: " + note);
        }

        return b.ToString();
    }

    private static void AppendRow(StringBuilder b, SimulationReport r)
    {
        var target = r.Target is { } t ? t.ToString("F2", Invariant) : "-";
        b.AppendLine(Invariant, $"{r.Policy,-9} {target,7} {r.OverloadedMinutes,15:F2} {r.UnservedRequests,18:F0} {r.ReplicaMinutes,12:F0} {r.ScaleEvents,13}");
    }

    private static void WriteReport(Utf8JsonWriter w, SimulationReport r, bool includeTimeline)
    {
        w.WriteStartObject();
        w.WriteString("policy", r.Policy);
        w.WriteString("trace", r.Trace);
        if (r.Target is { } target)
        {
            w.WriteNumber("target", target);
        }

        if (r.Knob is { } knob)
        {
            w.WriteNumber("knob", knob);
        }

        w.WriteNumber("overloaded_minutes", Math.Round(r.OverloadedMinutes, 3));
        w.WriteNumber("unserved_requests", Math.Round(r.UnservedRequests));
        w.WriteNumber("replica_minutes", Math.Round(r.ReplicaMinutes, 2));
        w.WriteNumber("scale_events", r.ScaleEvents);
        w.WriteNumber("scale_ups", r.ScaleUps);
        w.WriteNumber("scale_downs", r.ScaleDowns);
        w.WriteNumber("peak_replicas", r.PeakReplicas);
        w.WriteNumber("total_requests", Math.Round(r.TotalRequests));
        w.WriteNumber("duration_minutes", Math.Round(r.DurationMinutes, 2));
        w.WriteNumber("capacity_per_instance", Math.Round(r.CapacityPerInstance, 4));
        if (includeTimeline)
        {
            w.WriteStartArray("timeline");
            foreach (var p in r.Timeline)
            {
                w.WriteStartObject();
                w.WriteNumber("t", p.Offset.TotalSeconds);
                w.WriteNumber("load", Math.Round(p.Load, 3));
                w.WriteNumber("forecast", Math.Round(p.Forecast, 3));
                w.WriteNumber("ready", p.Ready);
                w.WriteNumber("desired", p.Desired);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
