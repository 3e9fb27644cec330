namespace Shoal.Autoscaling.Capacity;

/// <summary>Settings of <see cref="LearnedCapacityModel"/>.</summary>
public sealed record LearnedCapacityOptions
{
    /// <summary>Gets the latency objective: an observation counts as healthy when its p99 is at most this.</summary>
    public TimeSpan LatencyObjective { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets the capacity assumed until enough healthy observations exist (conservative).</summary>
    public double DefaultRequestsPerSecond { get; init; } = 50;

    /// <summary>Gets the number of healthy observations needed before the learned value is used.</summary>
    public int MinObservations { get; init; } = 10;

    /// <summary>Gets the smoothing applied when the healthy maximum moves, in (0, 1].</summary>
    public double Smoothing { get; init; } = 0.2;

    /// <summary>Gets the fraction by which an overload (p99 above the objective) lowers the estimate toward its throughput.</summary>
    public double BackoffOnViolation { get; init; } = 0.5;
}
