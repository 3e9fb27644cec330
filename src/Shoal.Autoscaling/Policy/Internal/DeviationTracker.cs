namespace Shoal.Autoscaling.Policy.Internal;

/// <summary>
/// The recent relative deviations of each tick's load from the forecast for its window, and their
/// upper and lower quantiles: the prediction interval a single tick is judged against.
/// </summary>
internal sealed class DeviationTracker
{
    private readonly double[] _values;
    private readonly double[] _scratch;
    private readonly double _quantile;
    private int _count;
    private int _sinceComputed;
    private double _upper;
    private double _lower;

    /// <param name="window">Deviations kept.</param>
    /// <param name="quantile">The upper quantile (the lower one is 1 - it).</param>
    public DeviationTracker(int window, double quantile)
    {
        _values = new double[window];
        _scratch = new double[window];
        _quantile = quantile;
    }

    public int Count => Math.Min(_count, _values.Length);

    /// <summary>Records a tick's load against the forecast for its window.</summary>
    public void Add(double load, double forecast)
    {
        _values[_count % _values.Length] = Math.Clamp((load - forecast) / Math.Max(forecast, 1e-6), -1, 10);
        _count++;
        _sinceComputed++;
    }

    /// <summary>The upper edge of the interval, as a fraction of the forecast (positive = above it).</summary>
    public double Upper
    {
        get
        {
            Refresh();
            return _upper;
        }
    }

    /// <summary>The lower edge of the interval, as a fraction of the forecast (negative = below it).</summary>
    public double Lower
    {
        get
        {
            Refresh();
            return _lower;
        }
    }

    private void Refresh()
    {
        // As for the headroom, a quantile over hundreds of values barely moves with one more, so the
        // sort runs after every few new values only.
        var n = Count;
        if (n == 0 || _sinceComputed == 0 || (_sinceComputed < 4 && n >= 100))
        {
            return;
        }

        var span = _scratch.AsSpan(0, n);
        _values.AsSpan(0, n).CopyTo(span);
        span.Sort();
        _upper = At(span, _quantile);
        _lower = At(span, 1 - _quantile);
        _sinceComputed = 0;
    }

    private static double At(ReadOnlySpan<double> sorted, double quantile)
    {
        var position = quantile * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
