namespace Shoal.Autoscaling.Forecasting.Internal;

/// <summary>
/// Finds the dominant period of a series by autocorrelation over a bounded history.
/// </summary>
/// <remarks>
/// A lag counts as a period when its autocorrelation is a local maximum, at least the threshold, and
/// the autocorrelation dipped at least <c>Prominence</c> below it at a shorter lag (so the slow decay
/// of a smooth or trending series is not mistaken for a season). Among candidates the strongest wins,
/// preferring the shortest lag within 0.05 of it (a period's multiples correlate nearly as well), refined by how well its multiples line up:
/// the multiples are taken up to two thirds of the history, past the longest lag looked for, because a jittered
/// batch makes the peak flat-topped and only the multiples tell its neighbouring lags apart (a lag one off the
/// period is m off at the m-th multiple).
/// Cost: O(history × lags), run only every few hundred samples until a period is found.
/// </remarks>
internal sealed class PeriodDetector
{
    private const double Prominence = 0.25;
    private readonly double[] _history;
    private readonly int _minPeriod;
    private readonly int _maxPeriod;
    private readonly double _threshold;
    private long _count;

    public PeriodDetector(int minPeriod, int maxPeriod, double threshold)
    {
        _minPeriod = minPeriod;
        _maxPeriod = maxPeriod;
        _threshold = threshold;
        _history = new double[4 * maxPeriod];
    }

    /// <summary>Gets the number of samples held (at most the capacity).</summary>
    public int Available => (int)Math.Min(_count, _history.Length);

    public void Add(double value)
    {
        _history[_count % _history.Length] = value;
        _count++;
    }

    /// <summary>Copies the last <paramref name="length"/> samples, oldest first.</summary>
    public double[] Tail(int length)
    {
        var result = new double[length];
        for (var i = 0; i < length; i++)
        {
            result[i] = _history[(_count - length + i) % _history.Length];
        }

        return result;
    }

    /// <summary>Returns the detected period, or null when the series shows none.</summary>
    public int? Detect()
    {
        var n = Available;
        // At least three periods of history, so the peak is sharp enough to tell neighbouring lags apart.
        var maxLag = Math.Min(_maxPeriod, n / 3);
        if (maxLag < _minPeriod + 1)
        {
            return null;
        }

        var x = Tail(n);
        var mean = x.Average();
        var variance = 0.0;
        for (var i = 0; i < n; i++)
        {
            x[i] -= mean;
            variance += x[i] * x[i];
        }

        if (variance <= 1e-12)
        {
            return null;
        }

        variance /= n;
        var acf = new double[maxLag + 2];
        for (var lag = 1; lag <= Math.Min(maxLag + 1, n - 1); lag++)
        {
            acf[lag] = Autocorrelation(x, variance, lag);
        }

        return Pick(acf, maxLag, x, variance);
    }

    private int? Pick(double[] acf, int maxLag, double[] x, double variance)
    {
        var runningMin = acf[1];
        var best = double.NegativeInfinity;
        var candidates = new List<(int Lag, double Value)>();
        for (var lag = 2; lag <= maxLag; lag++)
        {
            runningMin = Math.Min(runningMin, acf[lag]);
            var isPeak = acf[lag] >= acf[lag - 1] && acf[lag] >= acf[lag + 1];
            if (lag >= _minPeriod && isPeak && acf[lag] >= _threshold && acf[lag] - runningMin >= Prominence)
            {
                candidates.Add((lag, acf[lag]));
                best = Math.Max(best, acf[lag]);
            }
        }

        foreach (var (lag, value) in candidates)
        {
            if (value >= best - 0.05)
            {
                return Refine(lag, maxLag, x, variance);
            }
        }

        return null;
    }

    /// <summary>
    /// Noise makes neighbouring lags of a flat peak tie; the true period also lines up at its multiples,
    /// so the lag near the peak whose multiples (up to two thirds of the history) correlate best on average wins.
    /// </summary>
    private int Refine(int lag, int maxLag, double[] x, double variance)
    {
        var longest = 2 * x.Length / 3;
        var bestLag = lag;
        var bestScore = double.NegativeInfinity;
        for (var candidate = Math.Max(_minPeriod, lag - 2); candidate <= Math.Min(maxLag, lag + 2); candidate++)
        {
            double sum = 0;
            var count = 0;
            for (var multiple = candidate; multiple <= Math.Max(candidate, longest); multiple += candidate)
            {
                sum += Autocorrelation(x, variance, multiple);
                count++;
            }

            var score = sum / count;
            if (score > bestScore + 1e-12)
            {
                bestScore = score;
                bestLag = candidate;
            }
        }

        return bestLag;
    }

    private static double Autocorrelation(double[] x, double variance, int lag)
    {
        var sum = 0.0;
        for (var i = 0; i + lag < x.Length; i++)
        {
            sum += x[i] * x[i + lag];
        }

        return sum / (x.Length - lag) / variance;
    }
}
