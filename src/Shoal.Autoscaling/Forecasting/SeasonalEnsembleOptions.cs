namespace Shoal.Autoscaling.Forecasting;

/// <summary>Settings of <see cref="SeasonalEnsembleForecaster"/>.</summary>
public sealed record SeasonalEnsembleOptions
{
    /// <summary>Gets the time between two samples (the forecast window).</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets the calendar periods tried as seasons (an hour, a day, a week); those shorter than four samples or longer than <see cref="MaxPeriod"/> are left out.</summary>
    public IReadOnlyList<TimeSpan> Periods { get; init; } = [TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(7)];

    /// <summary>Gets the longest period kept; memory is <see cref="Cycles"/> of it (three weeks of one-minute samples: 30,240 doubles).</summary>
    public TimeSpan MaxPeriod { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Gets the longest period looked for by autocorrelation, besides the calendar ones (six hours).</summary>
    public TimeSpan MaxDetectedPeriod { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Gets how many past cycles a seasonal forecast takes the median of (three: one odd cycle is outvoted).</summary>
    public int Cycles { get; init; } = 3;

    /// <summary>Gets how many recent samples the level ratio of a cycle is the median of (five: follows a shift in three, ignores one or two spikes).</summary>
    public int Anchor { get; init; } = 5;

    /// <summary>Gets the horizon, in samples, at which the members' errors are measured (the caller's horizon).</summary>
    public int ErrorHorizon { get; init; } = 1;

    /// <summary>Gets the memory of the members' error averages, which weigh them (six hours).</summary>
    public TimeSpan ErrorMemory { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Validates the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (SampleInterval <= TimeSpan.Zero || MaxPeriod < TimeSpan.Zero || MaxDetectedPeriod < TimeSpan.Zero || ErrorMemory < SampleInterval)
        {
            throw new ArgumentException("SampleInterval must be positive, MaxPeriod and MaxDetectedPeriod non-negative, ErrorMemory at least one sample.");
        }

        if (Cycles < 1 || Anchor < 1 || ErrorHorizon < 1)
        {
            throw new ArgumentException("Cycles, Anchor and ErrorHorizon must be at least 1.");
        }
    }
}
