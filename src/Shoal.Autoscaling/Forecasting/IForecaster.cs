namespace Shoal.Autoscaling.Forecasting;

/// <summary>
/// An online forecaster of a scalar series sampled at a fixed interval (for Shoal: the request rate).
/// </summary>
/// <remarks>
/// Every implementation updates in O(1) per sample (amortised for the seasonal one, whose period
/// detection runs rarely over a bounded history) and never allocates per sample.
/// </remarks>
public interface IForecaster
{
    /// <summary>Gets a short name used in logs and reports.</summary>
    string Name { get; }

    /// <summary>Gets the number of samples observed so far.</summary>
    long Count { get; }

    /// <summary>Adds the next sample of the series.</summary>
    /// <param name="value">The observed value; NaN and infinities are ignored.</param>
    void Observe(double value);

    /// <summary>Forecasts the value <paramref name="stepsAhead"/> samples after the last one observed.</summary>
    /// <param name="stepsAhead">1 for the next sample; must be at least 1.</param>
    /// <returns>The forecast, or 0 before any sample was observed.</returns>
    double Forecast(int stepsAhead);
}
