using Shoal.Autoscaling.Forecasting.Internal;

namespace Shoal.Autoscaling.Forecasting;

/// <summary>
/// Holt's linear method: a smoothed level plus a smoothed trend, optionally damped.
/// </summary>
/// <remarks>
/// The first sample sets the level, the second sets the trend to the difference of the two, so a
/// straight line is forecast exactly from the second sample on. A damping factor φ below 1 makes the
/// trend fade over the horizon (forecast = level + (φ + φ² + … + φʰ) × trend), which keeps a brief
/// surge from being extrapolated far.
/// </remarks>
public sealed class HoltForecaster : IForecaster
{
    private readonly double _alpha;
    private readonly double _beta;
    private readonly double _phi;
    private double _level;
    private double _trend;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="alpha">Level smoothing in (0, 1].</param>
    /// <param name="beta">Trend smoothing in (0, 1].</param>
    /// <param name="phi">Trend damping in (0, 1]; 1 is the undamped linear trend.</param>
    public HoltForecaster(double alpha = 0.5, double beta = 0.2, double phi = 1.0)
    {
        ForecastGuard.Fraction(alpha, nameof(alpha));
        ForecastGuard.Fraction(beta, nameof(beta));
        ForecastGuard.Fraction(phi, nameof(phi));
        _alpha = alpha;
        _beta = beta;
        _phi = phi;
    }

    /// <inheritdoc/>
    public string Name => _phi < 1 ? "holt-damped" : "holt";

    /// <inheritdoc/>
    public long Count { get; private set; }

    /// <summary>Gets the current smoothed level.</summary>
    public double Level => _level;

    /// <summary>Gets the current smoothed trend per sample.</summary>
    public double Trend => _trend;

    /// <inheritdoc/>
    public void Observe(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        if (Count == 0)
        {
            _level = value;
        }
        else if (Count == 1)
        {
            _trend = value - _level;
            _level = value;
        }
        else
        {
            var previous = _level;
            _level = (_alpha * value) + ((1 - _alpha) * (_level + (_phi * _trend)));
            _trend = (_beta * (_level - previous)) + ((1 - _beta) * _phi * _trend);
        }

        Count++;
    }

    /// <inheritdoc/>
    public double Forecast(int stepsAhead)
    {
        ForecastGuard.Steps(stepsAhead);
        return _level + (DampedSum(_phi, stepsAhead) * _trend);
    }

    /// <summary>φ + φ² + … + φʰ (h for φ = 1).</summary>
    internal static double DampedSum(double phi, int steps)
    {
        if (phi >= 1)
        {
            return steps;
        }

        return phi * (1 - Math.Pow(phi, steps)) / (1 - phi);
    }
}
