namespace Shoal.Autoscaling.Policy.Internal;

/// <summary>
/// Remembers the forecasts made for future windows and, as each window's actual arrives, the relative
/// error at every horizon; gives the quantile of recent errors per horizon.
/// </summary>
internal sealed class ErrorTracker
{
    private readonly int _horizons;
    private readonly double[,] _pending;
    private readonly bool[,] _hasPending;
    private readonly double[][] _errors;
    private readonly int[] _errorCount;
    private readonly double[] _scratch;

    public ErrorTracker(int horizons, int window)
    {
        _horizons = horizons;
        _pending = new double[horizons + 1, horizons + 1];
        _hasPending = new bool[horizons + 1, horizons + 1];
        _errors = new double[horizons + 1][];
        for (var h = 1; h <= horizons; h++)
        {
            _errors[h] = new double[window];
        }

        _errorCount = new int[horizons + 1];
        _scratch = new double[window];
    }

    public int Horizons => _horizons;

    /// <summary>Scores the forecasts made for window <paramref name="index"/> against its actual value.</summary>
    public void Score(long index, double actual)
    {
        var slot = (int)(index % (_horizons + 1));
        for (var h = 1; h <= _horizons; h++)
        {
            if (!_hasPending[h, slot])
            {
                continue;
            }

            var predicted = _pending[h, slot];
            _hasPending[h, slot] = false;
            var buffer = _errors[h];
            buffer[_errorCount[h] % buffer.Length] = Math.Clamp((actual - predicted) / Math.Max(predicted, 1e-6), -1, 10);
            _errorCount[h]++;
        }
    }

    /// <summary>Remembers the forecast for window <paramref name="index"/> made <paramref name="horizon"/> windows before it.</summary>
    public void Remember(long index, int horizon, double forecast)
    {
        var slot = (int)(index % (_horizons + 1));
        _pending[horizon, slot] = forecast;
        _hasPending[horizon, slot] = true;
    }

    public int ErrorCount(int horizon) => Math.Min(_errorCount[horizon], _errors[horizon].Length);

    /// <summary>The <paramref name="quantile"/> of the recent signed relative errors at a horizon (positive = under-forecast).</summary>
    public double Quantile(int horizon, double quantile)
    {
        var n = ErrorCount(horizon);
        if (n == 0)
        {
            return 0;
        }

        var span = _scratch.AsSpan(0, n);
        _errors[horizon].AsSpan(0, n).CopyTo(span);
        span.Sort();
        var position = quantile * (n - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, n - 1);
        return span[lower] + ((position - lower) * (span[upper] - span[lower]));
    }
}
