namespace Shoal.Autoscaling.Forecasting.Internal;

/// <summary>
/// A damped Holt level and trend that ignores outliers and re-levels at a change point: the non-seasonal
/// member of <see cref="SeasonalEnsembleForecaster"/>.
/// </summary>
/// <remarks>
/// <para>
/// Residuals are measured in units of a robust scale (the smoothed absolute residual, itself updated
/// with residuals clipped to <see cref="Clip"/> scales, so one spike does not inflate it). The level moves
/// by a Huber-clipped residual: a spike of any size moves it by at most <see cref="Clip"/> scales.
/// </para>
/// <para>
/// A two-sided CUSUM on the standardised residuals (drift 0.5, limit 5: the textbook tabular CUSUM, which
/// flags a shift of one scale within about ten samples and of three within two or three) detects a
/// permanent shift; the level then jumps to the median of the last three samples (a lone spike is not
/// their median, so it cannot re-level) and the trend restarts from zero.
/// </para>
/// </remarks>
internal struct RobustTrend(double alpha, double beta, double phi)
{
    /// <summary>Huber clip, in scales: beyond it a residual counts as an outlier.</summary>
    public const double Clip = 3;

    private const double ScaleSmoothing = 0.1;
    private const double CusumDrift = 0.5;
    private const double CusumLimit = 5;

    // Noise below 1% of the level is treated as none, so a perfectly flat series cannot make every wiggle a change.
    private const double ScaleFloor = 0.01;

    private double _level;
    private double _trend;
    private double _scale;
    private double _up;
    private double _down;
    private double _previous;
    private double _beforePrevious;
    private long _count;

    /// <summary>Gets the level.</summary>
    public readonly double Level => _level;

    /// <summary>Gets the robust scale of the residuals.</summary>
    public readonly double Scale => Math.Max(_scale, ScaleFloor * Math.Abs(_level));

    public void Observe(double value)
    {
        if (_count == 0)
        {
            _level = value;
            _previous = _beforePrevious = value;
            _count = 1;
            return;
        }

        var predicted = _level + (phi * _trend);
        var residual = value - predicted;
        var scale = Math.Max(Scale, 1e-9);
        var z = residual / scale;
        _up = Math.Max(0, _up + z - CusumDrift);
        _down = Math.Max(0, _down - z - CusumDrift);
        if (_count >= 3 && (_up > CusumLimit || _down > CusumLimit))
        {
            _level = Median(value, _previous, _beforePrevious);
            _trend = 0;
            _up = _down = 0;
        }
        else
        {
            var clipped = Math.Clamp(residual, -Clip * scale, Clip * scale);
            var level = predicted + (alpha * clipped);
            _trend = (beta * (level - _level)) + ((1 - beta) * phi * _trend);
            _level = level;
        }

        _scale = _count == 1 ? Math.Abs(residual) : ((1 - ScaleSmoothing) * _scale) + (ScaleSmoothing * Math.Min(Math.Abs(residual), Clip * scale));
        _beforePrevious = _previous;
        _previous = value;
        _count++;
    }

    public readonly double Forecast(int steps)
    {
        var sum = 0.0;
        var factor = 1.0;
        for (var i = 0; i < steps; i++)
        {
            factor *= phi;
            sum += factor;
        }

        return _level + (sum * _trend);
    }

    private static double Median(double a, double b, double c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
