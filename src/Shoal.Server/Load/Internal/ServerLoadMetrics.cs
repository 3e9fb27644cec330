using System.Diagnostics.Metrics;

namespace Shoal.Server.Load.Internal;

/// <summary>
/// The <c>Shoal.Server</c> instruments. All are observable and read <see cref="ServerLoadMonitor.Latest"/>
/// when a listener collects, so the meter reports exactly what the LoadReporter service reports and
/// costs nothing on the call path.
/// </summary>
internal static class ServerLoadMetrics
{
    /// <summary>The meter tag naming the instance.</summary>
    public const string InstanceTag = "shoal.instance.id";

    /// <summary>Creates the meter and its instruments; returns the meter when this code owns it (no factory), else null.</summary>
    public static Meter? Create(ServerLoadMonitor monitor, IMeterFactory? factory)
    {
        var options = new MeterOptions(ServerLoadMonitor.MeterName)
        {
            Tags = [new KeyValuePair<string, object?>(InstanceTag, monitor.InstanceId)],
        };
        var meter = factory?.Create(options) ?? new Meter(options);
        meter.CreateObservableCounter("shoal.server.calls.completed", () => monitor.Latest.TotalCompleted, "{call}", "Calls ended since the server started, as of the latest window.");
        meter.CreateObservableCounter("shoal.server.calls.failed", () => monitor.Latest.TotalErrors, "{call}", "Calls ended with a status other than OK since the server started, as of the latest window.");
        meter.CreateObservableGauge("shoal.server.load.requests_per_second", () => monitor.Latest.RequestsPerSecond, "{call}/s", "Calls ended per second in the latest window.");
        meter.CreateObservableGauge("shoal.server.load.in_flight", () => monitor.Latest.InFlight, "{call}", "Calls in flight at the end of the latest window.");
        meter.CreateObservableGauge("shoal.server.load.latency.p50", () => monitor.Latest.P50.TotalSeconds, "s", "Median latency of the calls of the latest window.");
        meter.CreateObservableGauge("shoal.server.load.latency.p99", () => monitor.Latest.P99.TotalSeconds, "s", "99th percentile latency of the calls of the latest window.");
        meter.CreateObservableGauge("shoal.server.load.errors", () => monitor.Latest.Errors, "{call}", "Failed calls in the latest window.");
        meter.CreateObservableGauge("shoal.server.load.cpu.utilization", () => monitor.Latest.CpuUtilisation, "1", "CPU used in the latest window, 0..1 of the cores the process may use.");
        return factory is null ? meter : null;
    }
}
