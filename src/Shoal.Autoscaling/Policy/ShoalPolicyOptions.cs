namespace Shoal.Autoscaling.Policy;

/// <summary>Settings of <see cref="ShoalScalingPolicy"/>.</summary>
public sealed record ShoalPolicyOptions
{
    /// <summary>Gets the fewest replicas (at least 1).</summary>
    public int MinReplicas { get; init; } = 1;

    /// <summary>Gets the most replicas.</summary>
    public int MaxReplicas { get; init; } = 1000;

    /// <summary>Gets the provisioning lead time: from a decision to a new replica serving (start and register).</summary>
    public TimeSpan LeadTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the control interval: how often <see cref="IScalingPolicy.Decide"/> is called.</summary>
    public TimeSpan ControlInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets the forecaster's sample interval (a multiple of the control interval; the load is averaged over it).</summary>
    public TimeSpan ForecastInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the quantile of recent relative prediction errors used as headroom (0.995: 199 of 200 predictions end up covered).</summary>
    public double HeadroomQuantile { get; init; } = 0.995;

    /// <summary>Gets the smallest headroom, as a fraction of the load.</summary>
    public double MinHeadroom { get; init; } = 0.03;

    /// <summary>Gets the largest headroom, as a fraction of the load.</summary>
    public double MaxHeadroom { get; init; } = 1.0;

    /// <summary>
    /// Gets the headroom used until <see cref="MinErrorSamples"/> forecast errors are known; until there
    /// are 1 / (1 − <see cref="HeadroomQuantile"/>) of them (fewer cannot estimate the quantile) the
    /// headroom stays at least this, faded linearly by how many there are.
    /// </summary>
    public double InitialHeadroom { get; init; } = 0.3;

    /// <summary>Gets how many recent prediction errors (control ticks, per horizon) the headroom is computed from (6 hours of 15 s ticks).</summary>
    public int ErrorWindow { get; init; } = 1440;

    /// <summary>Gets how many forecast errors are needed before they set the headroom.</summary>
    public int MinErrorSamples { get; init; } = 60;

    /// <summary>Gets the scale-down stabilisation window: scale down only to the highest recommendation within it.</summary>
    public TimeSpan ScaleDownStabilisation { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Gets the most replicas removed in one step (the larger of this and <see cref="MaxScaleDownFraction"/> applies).</summary>
    public int MaxScaleDownStep { get; init; } = 1;

    /// <summary>Gets the largest fraction of the replicas removed in one step.</summary>
    public double MaxScaleDownFraction { get; init; } = 0.1;

    /// <summary>
    /// Gets the hysteresis, as a fraction of the load: the extra margin a scale-down must clear, and the
    /// headroom a step back up forgoes during the stabilisation window after a step down.
    /// </summary>
    public double Hysteresis { get; init; } = 0.05;

    /// <summary>Gets the longest season, as a time span, the seasonal forecaster looks for (a day by default).</summary>
    public TimeSpan MaxSeason { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets whether a surge, once detected, keeps being extrapolated for as long as the load keeps rising
    /// (the forecaster's trend needs several windows to catch up with a climb it did not see coming).
    /// </summary>
    public bool SurgeContinuation { get; init; } = true;

    /// <summary>
    /// Gets whether prediction errors larger than <see cref="MaxHeadroom"/> are left out of the headroom:
    /// no allowed headroom covers them (the surge rule answers such jumps), and counting them would pin the
    /// headroom at its maximum for the whole error window after every flash crowd.
    /// </summary>
    public bool ExcludeUncoverableErrors { get; init; } = true;

    /// <summary>
    /// Gets whether a sudden collapse of the load (below the lower edge of the forecast's prediction
    /// interval) is held through for one <see cref="ScaleDownStabilisation"/> window before it may count
    /// toward a scale-down: such a collapse is as often a fault upstream or a gap that ends as suddenly.
    /// </summary>
    public bool HoldThroughPlunges { get; init; } = true;

    /// <summary>
    /// Gets whether the replicas a surge asked for are let go as soon as the surge proves a spike (the
    /// load is back to where it was before it): their recommendations leave the stabilisation window and
    /// the ones still starting are cancelled at once, since they never served anything.
    /// </summary>
    public bool CancelSpikeReplicas { get; init; } = true;

    /// <summary>Validates the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (MinReplicas < 1 || MaxReplicas < MinReplicas)
        {
            throw new ArgumentException("Need 1 <= MinReplicas <= MaxReplicas.");
        }

        if (ControlInterval <= TimeSpan.Zero || ForecastInterval < ControlInterval || LeadTime < TimeSpan.Zero)
        {
            throw new ArgumentException("Need ControlInterval > 0, ForecastInterval >= ControlInterval and LeadTime >= 0.");
        }

        if (!(HeadroomQuantile > 0 && HeadroomQuantile <= 1) || MinHeadroom < 0 || MaxHeadroom < MinHeadroom)
        {
            throw new ArgumentException("Need 0 < HeadroomQuantile <= 1 and 0 <= MinHeadroom <= MaxHeadroom.");
        }

        if (ErrorWindow < 1 || MinErrorSamples < 1 || MaxScaleDownStep < 1 || MaxScaleDownFraction < 0 || Hysteresis < 0)
        {
            throw new ArgumentException("ErrorWindow, MinErrorSamples and MaxScaleDownStep must be positive; fractions non-negative.");
        }
    }
}
