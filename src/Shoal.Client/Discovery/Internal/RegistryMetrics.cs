using System.Diagnostics.Metrics;

namespace Shoal.Client.Discovery.Internal;

/// <summary>The registry's metrics, on the meter <c>Shoal.Registry</c>.</summary>
internal static class RegistryMetrics
{
    public const string MeterName = "Shoal.Registry";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Each time a resolver lost its source and fell back to the last set it had.</summary>
    public static readonly Counter<long> WatchFailures = Meter.CreateCounter<long>(
        "shoal.registry.watch.failures", description: "Times a resolver lost its source and kept serving the last instance set.");

    /// <summary>Each time a registration found its lease gone and registered again.</summary>
    public static readonly Counter<long> Reregistrations = Meter.CreateCounter<long>(
        "shoal.registry.lease.reregistrations", description: "Times a registration lost its lease and registered again.");

    /// <summary>Each failed keepalive (the source could not be reached).</summary>
    public static readonly Counter<long> KeepAliveFailures = Meter.CreateCounter<long>(
        "shoal.registry.keepalive.failures", description: "Keepalives that could not reach the registry.");

    public static KeyValuePair<string, object?> Kind(string kind) => new("registry", kind);
}
