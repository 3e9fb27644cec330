using System.Text.Json;

namespace Shoal.Server.Dashboard.Internal;

internal static partial class DashboardSnapshot
{
    /// <summary>An autoscaler: its settings and ticks as its status service served them.</summary>
    private static void WriteAutoscaler(Utf8JsonWriter writer, AutoscalerView autoscaler)
    {
        writer.WriteStartObject();
        writer.WriteString("id", autoscaler.Id);
        writer.WriteString("address", autoscaler.Native);
        var (status, error) = autoscaler.Read();
        if (status is not null)
        {
            writer.WriteString("service", status.Service);
            writer.WriteString("actuator", status.Actuator);
            writer.WriteNumber("quantile", Finite(status.Quantile));
            writer.WriteNumber("min_replicas", status.MinReplicas);
            writer.WriteNumber("max_replicas", status.MaxReplicas);
            writer.WriteNumber("interval_ms", status.IntervalMs);
            writer.WriteStartArray("ticks");
            foreach (var tick in status.Ticks)
            {
                writer.WriteStartObject();
                writer.WriteNumber("time_unix_ms", tick.TimeUnixMs);
                writer.WriteNumber("load_rps", Finite(tick.LoadRps));
                writer.WriteNumber("completed_rps", Finite(tick.CompletedRps));
                writer.WriteNumber("forecast_rps", Finite(tick.ForecastRps));
                if (tick.HasUpperRps)
                {
                    writer.WriteNumber("upper_rps", Finite(tick.UpperRps));
                }
                writer.WriteNumber("current_replicas", tick.CurrentReplicas);
                writer.WriteNumber("desired_replicas", tick.DesiredReplicas);
                writer.WriteNumber("recommended_replicas", tick.RecommendedReplicas);
                writer.WriteNumber("ready_replicas", tick.ReadyReplicas);
                writer.WriteString("reason", tick.Reason);
                writer.WriteNumber("capacity_rps", Finite(tick.CapacityRps));
                writer.WriteNumber("p99_ms", Finite(tick.P99Ms));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (error is not null)
        {
            writer.WriteString("error", error);
        }
        writer.WriteEndObject();
    }
}
