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

    /// <summary>
    /// Gets the one knob, in nines: the policy provisions for the quantile q = 1 − 10^−nines of the forecast
    /// load distribution (2 nines: q = 0.99; 3: 0.999). More costs more and overloads less; 3 asks that the
    /// load a tick brings exceed the forecast's upper end in about 1 of 1,000 predictions, whatever the trace.
    /// Counted in nines (a risk of 10^−nines) so that the knob can go on past what a double holds as q.
    /// </summary>
    public double Nines { get; init; } = DefaultNines;

    /// <summary>The knob's default: 3 nines, the 99.9% quantile.</summary>
    public const double DefaultNines = 3;

    /// <summary>Gets the quantile the knob stands for, 1 − 10^−<see cref="Nines"/>.</summary>
    public double Quantile => 1 - Risk;

    /// <summary>Gets the risk the knob stands for, 10^−<see cref="Nines"/>: the probability the quantile is exceeded.</summary>
    public double Risk => Math.Pow(10, -Nines);

    /// <summary>Gets how far back the forecast errors the quantiles are computed from reach (a day).</summary>
    public TimeSpan ErrorWindow { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets the relative margin used at the default knob until enough errors are known to calibrate (0.3: 30% above
    /// the forecast). Other knobs use <see cref="UncalibratedMargin"/>.
    /// </summary>
    public double InitialMargin { get; init; } = 0.3;

    /// <summary>
    /// Gets the relative margin provisioned at this knob until enough errors are known to calibrate. Above the
    /// default knob it is the quantile at <see cref="Risk"/> of an exponential tail of relative errors whose quantile
    /// at the default is <see cref="InitialMargin"/>, so it grows in proportion to the nines (6 nines: twice, 12:
    /// four times); the calibrated quantile extrapolates its tail with the same shape. A dearer knob so buys its
    /// replicas from the first tick on, not only once a phase has been calibrated. Below the default the default's
    /// margin stands: without errors there is nothing yet to show that a tighter one would do.
    /// </summary>
    public double UncalibratedMargin => InitialMargin * Math.Max(1, Nines / DefaultNines);

    /// <summary>
    /// Gets the scale-down stabilisation window: scale in only when the count has been above the band at every
    /// tick of it (never shorter than the lead time plus one control interval).
    /// </summary>
    public TimeSpan ScaleDownStabilisation { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Gets the longest season the forecaster keeps (a week).</summary>
    public TimeSpan MaxSeason { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Gets how far back the growth bound reaches: the ratios of the load a decision's replicas served to the load
    /// when it was made, and the scores that decide whether the bound is used (a day); zero leaves the bound out.
    /// </summary>
    public TimeSpan GrowthMemory { get; init; } = TimeSpan.FromDays(1);

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

        if (!(Nines > 0 && Nines <= 300))
        {
            throw new ArgumentException("Nines must be in (0, 300]: 1 is the 90% quantile, 3 the 99.9%.");
        }

        if (ErrorWindow < ControlInterval || !(InitialMargin >= 0) || ScaleDownStabilisation < TimeSpan.Zero || MaxSeason < TimeSpan.Zero || GrowthMemory < TimeSpan.Zero)
        {
            throw new ArgumentException("ErrorWindow must be at least one control interval; InitialMargin, ScaleDownStabilisation, MaxSeason and GrowthMemory non-negative.");
        }
    }
}
