using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.Health;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Client.Cluster.OutlierDetection;
using Shoal.Instances;

namespace Shoal.Client.Cluster;

/// <summary>
/// Everything about how the client calls one service as a cluster. A plain options class: bind it
/// from configuration (for example the <c>Shoal:Clients:hello.Greeter</c> section) or build it in
/// code; <see cref="ClusterOptionsValidator"/> checks it.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The caller's zone; endpoints in it are preferred (see <see cref="LoadBalancingOptions.PreferLocalZone"/>). Empty: no preference.</summary>
    public string Zone { get; set; } = "";

    /// <summary>
    /// Transports in order of preference; empty (the default) means native, then gRPC. An instance
    /// is reached over the first listed transport it offers and a connection factory supports.
    /// </summary>
    /// <remarks>Empty by default so that binding a list from configuration replaces the default instead of appending to it.</remarks>
    public IList<TransportKind> Transports { get; set; } = [];

    /// <summary>The transports in effect: <see cref="Transports"/>, or native then gRPC when it is empty.</summary>
    public IReadOnlyList<TransportKind> EffectiveTransports => Transports is { Count: > 0 } ? [.. Transports] : [TransportKind.Native, TransportKind.Grpc];

    /// <summary>The load-balancing policy and its options.</summary>
    public LoadBalancingOptions LoadBalancing { get; set; } = new();

    /// <summary>The policy of every method that no entry of <see cref="Methods"/> matches: failover, not idempotent.</summary>
    public MethodPolicy DefaultMethod { get; set; } = new();

    /// <summary>
    /// Per-method policies, keyed by <c>/pkg.Service/Method</c> (one method), <c>pkg.Service/*</c>
    /// (every method of a service) or <c>*</c>. The most specific key wins; the leading slash is
    /// optional.
    /// </summary>
    public IDictionary<string, MethodPolicy> Methods { get; set; } = new Dictionary<string, MethodPolicy>(StringComparer.Ordinal);

    /// <summary>The retry budget shared by all methods of the cluster.</summary>
    public RetryBudgetOptions RetryBudget { get; set; } = new();

    /// <summary>Outlier ejection.</summary>
    public OutlierEjectionOptions OutlierEjection { get; set; } = new();

    /// <summary>Active health checks (off by default).</summary>
    public HealthCheckOptions HealthChecks { get; set; } = new();

    /// <summary>How long a call waits for a ready instance when there is none (the call's deadline, if sooner, wins). Default 5 s.</summary>
    public TimeSpan WaitForReadyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <see cref="ClusterCallInvoker.StartAsync(CancellationToken)"/> waits for the first instance set. Default 5 s.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a removed instance's connection is kept for its calls in flight. Default 30 s.</summary>
    public TimeSpan RemovedConnectionGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most calls failback keeps for background retry. Default 1,000.</summary>
    public int FailbackQueueCapacity { get; set; } = 1000;
}
