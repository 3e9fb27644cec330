namespace Shoal.Autoscaling.Signals;

/// <summary>
/// The load one instance carried during one reporting window: the signal shared by the client's
/// load balancer and the autoscaler.
/// </summary>
/// <param name="InstanceId">The reporting instance.</param>
/// <param name="WindowStart">When the window began.</param>
/// <param name="WindowLength">How long the window lasted.</param>
/// <param name="RequestsPerSecond">Calls completed per second during the window.</param>
/// <param name="InFlight">Calls in flight at the end of the window.</param>
/// <param name="P50">Median latency during the window.</param>
/// <param name="P99">99th percentile latency during the window.</param>
/// <param name="Errors">Calls that failed during the window.</param>
/// <param name="CpuUtilisation">CPU used by the instance, 0..1 of its allotment.</param>
public sealed record LoadReport(
    string InstanceId,
    DateTimeOffset WindowStart,
    TimeSpan WindowLength,
    double RequestsPerSecond,
    int InFlight,
    TimeSpan P50,
    TimeSpan P99,
    long Errors,
    double CpuUtilisation)
{
    /// <summary>Gets when the window ended.</summary>
    public DateTimeOffset WindowEnd => WindowStart + WindowLength;
}
