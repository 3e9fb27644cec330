using System.Text;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;

namespace Shoal.Server.Dashboard.Internal;

/// <summary>The JSON document <c>/events</c> sends each second: services, their instances with load, and the latest joins and leaves.</summary>
internal static partial class DashboardSnapshot
{
    public static string Write(DashboardMonitor monitor, DateTimeOffset now)
    {
        var (instances, autoscalers, events, registryError) = monitor.Snapshot();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("registry", monitor.RegistryAddress);
            writer.WriteNumber("time_unix_ms", now.ToUnixTimeMilliseconds());
            writer.WriteBoolean("can_drain", monitor.CanDrain);
            if (registryError is not null)
            {
                writer.WriteString("registry_error", registryError);
            }
            writer.WriteStartArray("services");
            var services = instances.SelectMany(i => i.Services.Select(s => (Service: s, Instance: i)))
                .GroupBy(p => p.Service, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal);
            foreach (var service in services)
            {
                writer.WriteStartObject();
                writer.WriteString("name", service.Key);
                writer.WriteStartArray("instances");
                foreach (var (_, instance) in service)
                {
                    WriteInstance(writer, instance);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("autoscalers");
            foreach (var autoscaler in autoscalers)
            {
                WriteAutoscaler(writer, autoscaler);
            }
            writer.WriteEndArray();
            writer.WriteStartArray("events");
            foreach (var e in events)
            {
                writer.WriteStartObject();
                writer.WriteNumber("time_unix_ms", e.At.ToUnixTimeMilliseconds());
                writer.WriteString("kind", e.Kind);
                writer.WriteString("instance", e.InstanceId);
                writer.WriteString("services", e.Services);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteInstance(Utf8JsonWriter writer, InstanceView instance)
    {
        writer.WriteStartObject();
        writer.WriteString("id", instance.Id);
        writer.WriteString("address", instance.Native);
        writer.WriteString("zone", instance.Zone);
        writer.WriteNumber("lease_ttl_ms", instance.LeaseTtlMs);
        var (load, error) = instance.Read();
        if (load is not null)
        {
            writer.WriteStartObject("load");
            writer.WriteNumber("sequence", load.Sequence);
            writer.WriteNumber("calls_per_second", Finite(load.RequestsPerSecond));
            writer.WriteNumber("in_flight", load.InFlight);
            writer.WriteNumber("p50_ms", Milliseconds(load.LatencyP50));
            writer.WriteNumber("p99_ms", Milliseconds(load.LatencyP99));
            writer.WriteNumber("errors", load.Errors);
            writer.WriteNumber("cpu", Finite(load.CpuUtilization));
            writer.WriteNumber("total_completed", load.TotalCompleted);
            writer.WriteNumber("total_errors", load.TotalErrors);
            writer.WriteEndObject();
        }
        if (error is not null)
        {
            writer.WriteString("load_error", error);
        }
        writer.WriteEndObject();
    }

    // A report off the wire may hold NaN or infinities, which JSON cannot carry.
    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private static double Milliseconds(Duration? duration)
    {
        if (duration is null)
        {
            return 0;
        }
        try
        {
            return Math.Max(0, duration.ToTimeSpan().TotalMilliseconds);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException or OverflowException)
        {
            return 0;
        }
    }
}
