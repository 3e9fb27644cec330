using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Shoal.Client.Discovery.InMemory;

namespace Shoal.Server.Registry.Internal;

/// <summary>
/// The embedded registry's gauges on meter <c>Shoal.Registry</c>: live instances per service,
/// leases, open watch streams and whether it is in its startup grace period. All observable: they
/// read the store when a listener collects and cost nothing otherwise. A hosted service only so the
/// host creates it when it starts.
/// </summary>
internal sealed class RegistryMetrics : IHostedService, IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Shoal.Registry";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public RegistryMetrics(RegistryStore store, EmbeddedRegistryService service, IMeterFactory? meterFactory)
    {
        var options = new MeterOptions(MeterName) { Tags = [new KeyValuePair<string, object?>("shoal.registry.id", store.Id)] };
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(options) ?? new Meter(options);
        _meter.CreateObservableGauge("shoal.registry.instances", () => store.CountByService().Select(static s => new Measurement<int>(s.Value, new KeyValuePair<string, object?>("shoal.service", s.Key))), "{instance}", "Live instances per service.");
        _meter.CreateObservableGauge("shoal.registry.leases", () => store.Count, "{lease}", "Live leases (one per registered instance).");
        _meter.CreateObservableGauge("shoal.registry.watches", () => service.ActiveWatches, "{stream}", "Open watch streams.");
        _meter.CreateObservableGauge("shoal.registry.recovering", () => store.IsRecovering ? 1 : 0, "1", "1 during the startup grace period after a restart, else 0.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
