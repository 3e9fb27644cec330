using Shoal.Instances;

namespace Shoal.Client.Cluster.Endpoints;

/// <summary>How a <see cref="ClusterDirectory"/> turns instances into endpoints.</summary>
public sealed class ClusterDirectoryOptions
{
    /// <summary>Transports in order of preference (non-empty); an instance is reached over the first it offers that a connection factory supports. Default native, then gRPC.</summary>
    public IList<TransportKind> Transports { get; set; } = [TransportKind.Native, TransportKind.Grpc];

    /// <summary>The time constant of each endpoint's peak-EWMA latency. Default 10 s.</summary>
    public TimeSpan EwmaDecay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the connection of a removed instance is kept for the calls still in flight on it;
    /// it is disposed as soon as they finish, or when this passes. Default 30 s.
    /// </summary>
    public TimeSpan RemovedConnectionGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where each endpoint's own load reports come from; null (the default) watches none. The
    /// cluster sets it when <see cref="LoadBalancing.LoadBalancingOptions.UseServerLoad"/> is on.
    /// </summary>
    public IEndpointLoadReporter? LoadReporter { get; set; }

    /// <summary>The random source of the load watchers' backoff jitter; <see cref="Random.Shared"/> by default.</summary>
    public Random Random { get; set; } = Random.Shared;

    /// <summary>Where the endpoints hand unary calls their server refused before starting them (the cluster client); none by default.</summary>
    internal Shoal.Client.Cluster.Internal.IRefusedCallRedirector? Redirector { get; set; }

    /// <summary>The rules that decide whether a call counts against its endpoint (set by the cluster, with its outlier-ejection failure codes).</summary>
    internal Shoal.Client.Cluster.Internal.UnaryOutcome Outcome { get; set; } = Shoal.Client.Cluster.Internal.UnaryOutcome.Default;

    /// <summary>
    /// The caller's zone when the balancer prefers it (<see cref="LoadBalancing.LoadBalancingOptions.PreferLocalZone"/>):
    /// only its endpoints count their calls in a shared <see cref="ZoneLoad"/>, which tells when the zone is overloaded. Null: none.
    /// </summary>
    public string? LocalZone { get; set; }
}
