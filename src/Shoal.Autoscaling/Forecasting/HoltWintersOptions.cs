using Shoal.Autoscaling.Forecasting.Internal;

namespace Shoal.Autoscaling.Forecasting;

/// <summary>Settings of <see cref="HoltWintersForecaster"/>.</summary>
public sealed record HoltWintersOptions
{
    /// <summary>Gets the level smoothing in (0, 1].</summary>
    public double Alpha { get; init; } = 0.3;

    /// <summary>Gets the trend smoothing in (0, 1].</summary>
    public double Beta { get; init; } = 0.05;

    /// <summary>Gets the seasonal smoothing in (0, 1].</summary>
    public double Gamma { get; init; } = 0.3;

    /// <summary>Gets the trend damping in (0, 1]; 1 is undamped.</summary>
    public double Phi { get; init; } = 1.0;

    /// <summary>Gets whether the season adds to or multiplies the level.</summary>
    public Seasonality Seasonality { get; init; } = Seasonality.Additive;

    /// <summary>Gets the season length in samples, or null to detect it by autocorrelation.</summary>
    public int? Period { get; init; }

    /// <summary>Gets the shortest period the detector considers.</summary>
    public int MinPeriod { get; init; } = 4;

    /// <summary>Gets the longest period the detector considers.</summary>
    public int MaxPeriod { get; init; } = 1440;

    /// <summary>Gets the smallest autocorrelation at a candidate period that counts as a season.</summary>
    public double DetectionThreshold { get; init; } = 0.3;

    /// <summary>Gets the number of samples between two detection attempts while no period is known.</summary>
    public int? DetectEvery { get; init; }

    internal void Validate()
    {
        ForecastGuard.Fraction(Alpha, nameof(Alpha));
        ForecastGuard.Fraction(Beta, nameof(Beta));
        ForecastGuard.Fraction(Gamma, nameof(Gamma));
        ForecastGuard.Fraction(Phi, nameof(Phi));
        if (Period is { } period)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(period, 2, nameof(Period));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinPeriod, 2, nameof(MinPeriod));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPeriod, MinPeriod, nameof(MaxPeriod));
    }
}
