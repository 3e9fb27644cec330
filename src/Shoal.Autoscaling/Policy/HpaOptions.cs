namespace Shoal.Autoscaling.Policy;

/// <summary>
/// Settings of the Kubernetes Horizontal Pod Autoscaler baseline; the defaults are those the
/// Kubernetes documentation gives (autoscaling/v2 with no <c>behavior</c> set).
/// </summary>
public sealed record HpaOptions
{
    /// <summary>Gets the target utilisation (0.7 = 70% of a replica's capacity).</summary>
    public double TargetUtilisation { get; init; } = 0.7;

    /// <summary>Gets the tolerance: no change while |utilisation / target − 1| is at most this (0.1).</summary>
    public double Tolerance { get; init; } = 0.1;

    /// <summary>Gets the controller's sync period (15 s).</summary>
    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets the scale-down stabilisation window (300 s).</summary>
    public TimeSpan ScaleDownStabilisation { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Gets the scale-up stabilisation window (0 s).</summary>
    public TimeSpan ScaleUpStabilisation { get; init; } = TimeSpan.Zero;

    /// <summary>Gets the scale-up percent policy: at most this fraction more replicas per period (1.0 = +100%).</summary>
    public double ScaleUpPercent { get; init; } = 1.0;

    /// <summary>Gets the scale-up pods policy: at most this many more replicas per period (4).</summary>
    public int ScaleUpPods { get; init; } = 4;

    /// <summary>Gets the period both scale-up policies are measured over (15 s).</summary>
    public TimeSpan ScaleUpPeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets the scale-down percent policy: at most this fraction fewer replicas per period (1.0 = −100%).</summary>
    public double ScaleDownPercent { get; init; } = 1.0;

    /// <summary>Gets the period of the scale-down policy (15 s).</summary>
    public TimeSpan ScaleDownPeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets the fewest replicas.</summary>
    public int MinReplicas { get; init; } = 1;

    /// <summary>Gets the most replicas.</summary>
    public int MaxReplicas { get; init; } = 1000;

    /// <summary>Validates the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!(TargetUtilisation > 0 && TargetUtilisation <= 1.5))
        {
            throw new ArgumentException("TargetUtilisation must be in (0, 1.5].");
        }

        if (MinReplicas < 1 || MaxReplicas < MinReplicas || Tolerance < 0 || SyncPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException("Need 1 <= MinReplicas <= MaxReplicas, Tolerance >= 0 and SyncPeriod > 0.");
        }
    }
}
