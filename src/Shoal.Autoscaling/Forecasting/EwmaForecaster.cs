using Shoal.Autoscaling.Forecasting.Internal;

namespace Shoal.Autoscaling.Forecasting;

/// <summary>
/// Exponentially weighted moving average: a flat forecast at the smoothed level (the baseline).
/// </summary>
public sealed class EwmaForecaster : IForecaster
{
    private readonly double _alpha;
    private double _level;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="alpha">Smoothing factor in (0, 1]; higher reacts faster.</param>
    public EwmaForecaster(double alpha = 0.3)
    {
        ForecastGuard.Fraction(alpha, nameof(alpha));
        _alpha = alpha;
    }

    /// <inheritdoc/>
    public string Name => "ewma";

    /// <inheritdoc/>
    public long Count { get; private set; }

    /// <inheritdoc/>
    public void Observe(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        _level = Count == 0 ? value : (_alpha * value) + ((1 - _alpha) * _level);
        Count++;
    }

    /// <inheritdoc/>
    public double Forecast(int stepsAhead)
    {
        ForecastGuard.Steps(stepsAhead);
        return _level;
    }
}
