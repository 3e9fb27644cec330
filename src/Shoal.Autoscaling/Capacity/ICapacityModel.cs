namespace Shoal.Autoscaling.Capacity;

/// <summary>
/// Says how many requests per second one instance serves within the latency objective.
/// </summary>
public interface ICapacityModel
{
    /// <summary>Gets the current estimate, in requests per second per instance (always positive).</summary>
    double RequestsPerSecondPerInstance { get; }

    /// <summary>Feeds one observation: the throughput one instance carried and the p99 it had meanwhile.</summary>
    /// <param name="requestsPerSecondPerInstance">The observed throughput per instance.</param>
    /// <param name="p99">The observed 99th percentile latency.</param>
    void Observe(double requestsPerSecondPerInstance, TimeSpan p99);
}
