namespace Shoal.Autoscaling.Hosting;

/// <summary>
/// The autoscaler of one service on a live cluster, bound from the <c>Shoal:Autoscaler</c>
/// configuration section (appsettings.json, environment, command line).
/// </summary>
public sealed class ShoalAutoscalerOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Shoal:Autoscaler";

    /// <summary>The service to scale, such as <c>hello.Greeter</c> (may instead be the path of <see cref="Registry"/>).</summary>
    public string Service { get; set; } = "";

    /// <summary>
    /// Where its instances are found: <c>registry://host:port</c> (the embedded registry),
    /// <c>etcd://h1:p1,h2:p2</c>, <c>static://h1:p1,h2:p2</c> or <c>dns:///name:port</c>.
    /// </summary>
    public string Registry { get; set; } = "";

    /// <summary>
    /// What carries decisions out: <c>dry-run</c> (default: decisions only), <c>local</c>, or the name of a
    /// registered <see cref="Shoal.Autoscaling.Actuators.IScaleActuatorProvider"/> (<c>kubernetes</c>, <c>containers</c>).
    /// </summary>
    public string Actuator { get; set; } = AutoscalerActuatorKinds.DryRun;

    /// <summary>The fewest replicas (default 1).</summary>
    public int MinReplicas { get; set; } = 1;

    /// <summary>The most replicas (default 10).</summary>
    public int MaxReplicas { get; set; } = 10;

    /// <summary>Requests per second one replica serves within the latency objective; null to learn it from the load reports.</summary>
    public double? Capacity { get; set; }

    /// <summary>The capacity assumed until enough has been learned, when <see cref="Capacity"/> is null (default 50/s).</summary>
    public double InitialCapacity { get; set; } = 50;

    /// <summary>The latency objective a learned capacity keeps p99 within (default 200 ms).</summary>
    public TimeSpan LatencyObjective { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The provisioning lead time: from a decision to a new replica serving (default 60 s).</summary>
    public TimeSpan LeadTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The control interval: one decision per interval (default 15 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The forecaster's sample interval, a multiple of <see cref="Interval"/>; null for four intervals.</summary>
    public TimeSpan? ForecastInterval { get; set; }

    /// <summary>The scale-down stabilisation window (default 180 s).</summary>
    public TimeSpan ScaleDownStabilisation { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>The policy's knob, in nines: it provisions for the quantile 1 − 10^−Nines of the forecast load (default 3: 99.9%).</summary>
    public double Nines { get; set; } = 3;

    /// <summary>How far back the forecast errors that calibrate the quantile reach (default a day).</summary>
    public TimeSpan ErrorWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The longest season the forecaster keeps (default a week; memory: three of it, one value per forecast interval).</summary>
    public TimeSpan MaxSeason { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How far back the policy's growth bound (the load's growth over a lead time) reaches (default a day; zero leaves the bound out).</summary>
    public TimeSpan GrowthMemory { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long an instance's last load report counts after its window ended (default 15 s).</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The replica count the dry-run actuator starts from (default 1).</summary>
    public int InitialReplicas { get; set; } = 1;

    /// <summary>The <c>local</c> actuator's settings.</summary>
    public LocalActuatorSettings Local { get; set; } = new();

    /// <summary>The cluster target the load is read from: <see cref="Registry"/> with <see cref="Service"/> as its path where the scheme needs one.</summary>
    /// <returns>The target, such as <c>registry://127.0.0.1:7000/hello.Greeter</c>.</returns>
    public string LoadTarget()
    {
        var registry = Registry.Trim();
        var schemeEnd = registry.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? registry[..schemeEnd].ToLowerInvariant() : "";
        if (scheme is not ("registry" or "etcd") || string.IsNullOrWhiteSpace(Service))
        {
            return registry;
        }
        var query = registry.IndexOf('?', StringComparison.Ordinal);
        var (address, rest) = query < 0 ? (registry, "") : (registry[..query], registry[query..]);
        var afterScheme = address[(schemeEnd + 3)..];
        var slash = afterScheme.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0 && afterScheme[(slash + 1)..].Trim('/').Length > 0)
        {
            // The registry address already names the service.
            return registry;
        }
        return $"{address.TrimEnd('/')}/{Service.Trim()}{rest}";
    }
}
