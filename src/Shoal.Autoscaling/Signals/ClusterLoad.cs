namespace Shoal.Autoscaling.Signals;

/// <summary>The load of the whole service, aggregated from the latest report of every live instance.</summary>
/// <param name="At">When the aggregate was taken.</param>
/// <param name="Instances">How many instances contributed a fresh report.</param>
/// <param name="RequestsPerSecond">Total calls per second across instances.</param>
/// <param name="InFlight">Total calls in flight.</param>
/// <param name="P50">Throughput-weighted mean of the instances' medians.</param>
/// <param name="P99">The worst instance's p99 (a conservative stand-in for the cluster p99).</param>
/// <param name="Errors">Total failed calls in the windows.</param>
/// <param name="CpuUtilisation">Mean CPU utilisation across instances.</param>
public sealed record ClusterLoad(
    DateTimeOffset At,
    int Instances,
    double RequestsPerSecond,
    int InFlight,
    TimeSpan P50,
    TimeSpan P99,
    long Errors,
    double CpuUtilisation)
{
    /// <summary>Gets the aggregate of no instances at all.</summary>
    /// <param name="at">When it was taken.</param>
    /// <returns>An all-zero load.</returns>
    public static ClusterLoad Empty(DateTimeOffset at) => new(at, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero, 0, 0);

    /// <summary>
    /// Gets the offered load: calls that arrived per second (completed plus the growth of the calls in flight),
    /// summed over instances; null when not estimated (then it is <see cref="RequestsPerSecond"/>).
    /// </summary>
    /// <remarks>
    /// When instances saturate, calls queue and the completed rate under-reads what clients ask for; arrivals do
    /// not. Over a window, arrivals = completions + (in flight at its end − in flight at its start).
    /// </remarks>
    public double? Offered { get; init; }

    /// <summary>Gets the offered load if it was estimated, else the completed calls per second: what the policy scales for.</summary>
    public double OfferedRequestsPerSecond => Offered ?? RequestsPerSecond;

    /// <summary>Gets the throughput per reporting instance (0 when none reported).</summary>
    public double RequestsPerSecondPerInstance => Instances == 0 ? 0 : RequestsPerSecond / Instances;
}
