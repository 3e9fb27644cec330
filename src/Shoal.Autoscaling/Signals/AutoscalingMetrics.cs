using System.Diagnostics.Metrics;
using Shoal.Autoscaling.Policy;

namespace Shoal.Autoscaling.Signals;

/// <summary>
/// Publishes the aggregated load and the controller's view through the "Shoal.Autoscaling" meter.
/// </summary>
/// <remarks>
/// The instruments are observable: they read the signal source and the last decision when a listener
/// (OpenTelemetry, dotnet-counters) collects, so publishing costs nothing between collections.
/// </remarks>
public sealed class AutoscalingMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Shoal.Autoscaling";

    private readonly Meter _meter;
    private readonly Counter<long> _decisions;
    private double _forecast;
    private double _upper;
    private int _desired;
    private int _current;

    /// <summary>Creates the instruments over a signal source.</summary>
    /// <param name="source">The load source the gauges read.</param>
    /// <param name="meterFactory">The meter factory from DI, or null to create the meter directly.</param>
    public AutoscalingMetrics(ILoadSignalSource source, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge("shoal.autoscaling.load.requests_per_second", () => source.Read().RequestsPerSecond, "{request}/s", "Requests per second across the service.");
        _meter.CreateObservableGauge("shoal.autoscaling.load.in_flight", () => source.Read().InFlight, "{request}", "Calls in flight across the service.");
        _meter.CreateObservableGauge("shoal.autoscaling.load.p50", () => source.Read().P50.TotalMilliseconds, "ms", "Median latency (throughput-weighted mean of instances).");
        _meter.CreateObservableGauge("shoal.autoscaling.load.p99", () => source.Read().P99.TotalMilliseconds, "ms", "Worst instance p99 latency.");
        _meter.CreateObservableGauge("shoal.autoscaling.load.errors", () => source.Read().Errors, "{error}", "Failed calls in the latest windows.");
        _meter.CreateObservableGauge("shoal.autoscaling.load.cpu", () => source.Read().CpuUtilisation, "1", "Mean CPU utilisation.");
        _meter.CreateObservableGauge("shoal.autoscaling.instances", () => source.Read().Instances, "{instance}", "Instances reporting load.");
        _meter.CreateObservableGauge("shoal.autoscaling.forecast", () => Volatile.Read(ref _forecast), "{request}/s", "Forecast request rate one lead time ahead.");
        _meter.CreateObservableGauge("shoal.autoscaling.desired_replicas", () => Volatile.Read(ref _desired), "{instance}", "Replicas the policy chose last.");
        _meter.CreateObservableGauge("shoal.autoscaling.forecast.upper", () => Volatile.Read(ref _upper), "{request}/s", "The forecast quantile provisioned for (the upper end of the band); the forecast itself for a policy without one.");
        _meter.CreateObservableGauge("shoal.autoscaling.ready_replicas", () => Volatile.Read(ref _current), "{instance}", "Replicas serving when the policy decided last.");
        _decisions = _meter.CreateCounter<long>("shoal.autoscaling.decisions", "{decision}", "Control ticks, by the reason of their decision.");
    }

    /// <summary>Records the controller's latest decision: every gauge of the decision, and one count under its reason.</summary>
    /// <param name="decision">The decision.</param>
    public void RecordDecision(ScalingDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        RecordDecision(decision.Forecast, decision.Desired);
        Volatile.Write(ref _upper, decision.Upper ?? decision.Forecast);
        Volatile.Write(ref _current, decision.CurrentReplicas);
        if (_decisions.Enabled)
        {
            _decisions.Add(1, new KeyValuePair<string, object?>("shoal.reason", decision.Reason.ToString()), new KeyValuePair<string, object?>("shoal.change", decision.IsChange ? "yes" : "no"));
        }
    }

    /// <summary>Records the controller's latest decision for the forecast and desired-replica gauges.</summary>
    /// <param name="forecast">The forecast request rate.</param>
    /// <param name="desired">The chosen replica count.</param>
    public void RecordDecision(double forecast, int desired)
    {
        Volatile.Write(ref _forecast, forecast);
        Volatile.Write(ref _desired, desired);
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
