using Shoal.Autoscaling.Forecasting.Internal;

namespace Shoal.Autoscaling.Forecasting;

/// <summary>
/// Holt-Winters triple exponential smoothing: level, trend and a season of a configured or detected
/// period, additive or multiplicative.
/// </summary>
/// <remarks>
/// Until the season is known (two full periods observed, or a period detected by autocorrelation) the
/// forecaster runs as Holt's linear method. The season is then initialised from the last two periods:
/// the trend from the difference of their means, each seasonal index from the last period's deviation
/// (or ratio) from that line. Each later sample costs O(1).
/// </remarks>
public sealed class HoltWintersForecaster : IForecaster
{
    private readonly HoltWintersOptions _options;
    private readonly PeriodDetector _history;
    private readonly int _detectEvery;
    private double[]? _season;
    private double _level;
    private double _trend;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="options">The settings; null for the defaults (additive, detected period).</param>
    public HoltWintersForecaster(HoltWintersOptions? options = null)
    {
        _options = options ?? new HoltWintersOptions();
        _options.Validate();
        var maxPeriod = _options.Period ?? _options.MaxPeriod;
        var minPeriod = Math.Min(_options.MinPeriod, maxPeriod);
        _history = new PeriodDetector(minPeriod, maxPeriod, _options.DetectionThreshold);
        _detectEvery = Math.Max(1, _options.DetectEvery ?? Math.Max(_options.MinPeriod, maxPeriod / 4));
    }

    /// <inheritdoc/>
    public string Name => _options.Seasonality == Seasonality.Additive ? "holt-winters-add" : "holt-winters-mul";

    /// <inheritdoc/>
    public long Count { get; private set; }

    /// <summary>Gets the season length in use, or null while it is not known yet.</summary>
    public int? Period => _season?.Length;

    private bool Multiplicative => _options.Seasonality == Seasonality.Multiplicative;

    /// <inheritdoc/>
    public void Observe(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        if (_season is null)
        {
            ObserveWithoutSeason(value);
            _history.Add(value);
            Count++;
            TryInitialiseSeason();
            return;
        }

        var index = (int)(Count % _season.Length);
        var season = _season[index];
        var previous = _level;
        var projected = _level + (_options.Phi * _trend);
        if (Multiplicative)
        {
            _level = (_options.Alpha * (value / season)) + ((1 - _options.Alpha) * projected);
            if (_level > 1e-9)
            {
                var ratio = Math.Clamp(value / _level, 0.01, 100);
                _season[index] = (_options.Gamma * ratio) + ((1 - _options.Gamma) * season);
            }
        }
        else
        {
            _level = (_options.Alpha * (value - season)) + ((1 - _options.Alpha) * projected);
            _season[index] = (_options.Gamma * (value - _level)) + ((1 - _options.Gamma) * season);
        }

        _trend = (_options.Beta * (_level - previous)) + ((1 - _options.Beta) * _options.Phi * _trend);
        Count++;
    }

    /// <inheritdoc/>
    public double Forecast(int stepsAhead)
    {
        ForecastGuard.Steps(stepsAhead);
        var line = _level + (HoltForecaster.DampedSum(_options.Phi, stepsAhead) * _trend);
        if (_season is null)
        {
            return line;
        }

        var season = _season[(int)((Count - 1 + stepsAhead) % _season.Length)];
        return Multiplicative ? line * season : line + season;
    }

    private void ObserveWithoutSeason(double value)
    {
        if (Count == 0)
        {
            _level = value;
            return;
        }

        if (Count == 1)
        {
            _trend = value - _level;
            _level = value;
            return;
        }

        var previous = _level;
        _level = (_options.Alpha * value) + ((1 - _options.Alpha) * (_level + (_options.Phi * _trend)));
        _trend = (_options.Beta * (_level - previous)) + ((1 - _options.Beta) * _options.Phi * _trend);
    }

    private void TryInitialiseSeason()
    {
        int period;
        if (_options.Period is { } configured)
        {
            if (Count < 2L * configured)
            {
                return;
            }

            period = configured;
        }
        else
        {
            if (Count % _detectEvery != 0 || _history.Detect() is not { } detected)
            {
                return;
            }

            period = detected;
        }

        InitialiseSeason(period);
    }

    private void InitialiseSeason(int period)
    {
        var tail = _history.Tail(2 * period);
        var firstMean = tail.Take(period).Average();
        var secondMean = tail.Skip(period).Average();
        var trend = (secondMean - firstMean) / period;
        var season = new double[period];
        for (var i = 0; i < period; i++)
        {
            var x = tail[period + i];
            var line = secondMean + (trend * (i - ((period - 1) / 2.0)));
            var sampleIndex = (int)((Count - period + i) % period);
            season[sampleIndex] = Multiplicative ? (line > 1e-9 ? Math.Clamp(x / line, 0.01, 100) : 1) : x - line;
        }

        Normalise(season);
        _season = season;
        _trend = trend;
        _level = secondMean + (trend * ((period - 1) / 2.0));
    }

    private void Normalise(double[] season)
    {
        var mean = season.Average();
        for (var i = 0; i < season.Length; i++)
        {
            if (Multiplicative)
            {
                season[i] = mean > 1e-9 ? season[i] / mean : 1;
            }
            else
            {
                season[i] -= mean;
            }
        }
    }
}
