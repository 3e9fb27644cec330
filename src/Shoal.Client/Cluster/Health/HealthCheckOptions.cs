namespace Shoal.Client.Cluster.Health;

/// <summary>Active health checking with <c>grpc.health.v1</c> (the <c>HealthChecks</c> section of <see cref="ClusterOptions"/>); off by default.</summary>
public sealed class HealthCheckOptions
{
    /// <summary>Whether endpoints are checked. Default false (connection state and outlier ejection still apply).</summary>
    public bool Enabled { get; set; }

    /// <summary>Time between two rounds of checks. Default 5 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one check may take before it counts as a failure. Default 1 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The name sent in <c>HealthCheckRequest.service</c>; the cluster's service when null, the whole server when empty.</summary>
    public string? ServiceName { get; set; }
}
