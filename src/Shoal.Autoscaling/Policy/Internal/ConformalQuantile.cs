namespace Shoal.Autoscaling.Policy.Internal;

/// <summary>
/// The recent prediction errors of one kind (a sliding window, kept sorted) and their quantiles: the
/// online conformal calibration of the policy's forecast.
/// </summary>
/// <remarks>
/// Within the range the window resolves, a quantile is the order statistic (interpolated). Beyond it (a
/// level q with fewer than <see cref="TailCount"/> errors above its threshold) the tail is extrapolated as
/// exponential (peaks over threshold), its scale estimated from the median excess of the top errors over
/// the threshold (median / ln 2), so a knob set very close to 1 still asks for more, by a margin that grows
/// with the spread of the largest errors, and a single outlier among them moves it little. Adding an error
/// costs O(window) (one shift of the sorted copy); a quantile O(1), or O(tail) beyond the resolution.
/// </remarks>
internal sealed class ConformalQuantile
{
    /// <summary>Errors above the tail threshold: fewer than this cannot tell an exponential tail's scale.</summary>
    public const int TailCount = 20;

    private readonly double[] _ring;
    private readonly double[] _sorted;
    private long _added;

    public ConformalQuantile(int window)
    {
        _ring = new double[window];
        _sorted = new double[window];
    }

    public int Count => (int)Math.Min(_added, _ring.Length);

    public void Add(double error)
    {
        var n = Count;
        if (n == _ring.Length)
        {
            var old = _ring[_added % _ring.Length];
            var at = Find(old, n);
            Array.Copy(_sorted, at + 1, _sorted, at, n - at - 1);
            n--;
        }

        var insert = Find(error, n);
        Array.Copy(_sorted, insert, _sorted, insert + 1, n - insert);
        _sorted[insert] = error;
        _ring[_added % _ring.Length] = error;
        _added++;
    }

    /// <summary>The quantile 1 − <paramref name="risk"/> of the recent errors (0 when there are none).</summary>
    public double Upper(double risk)
    {
        var q = 1 - risk;
        var n = Count;
        if (n == 0)
        {
            return 0;
        }

        var tail = (double)TailCount / n;
        if (n < 2 * TailCount || risk >= tail)
        {
            return Empirical(q, n);
        }

        var threshold = Empirical(1 - tail, n);
        var above = 0;
        while (above < n && _sorted[n - 1 - above] > threshold)
        {
            above++;
        }

        // The excesses are the top `above` errors minus the threshold, already sorted: their median.
        var median = above == 0 ? 0
            : above % 2 == 1 ? _sorted[n - 1 - (above / 2)] - threshold
            : ((_sorted[n - (above / 2)] + _sorted[n - 1 - (above / 2)]) / 2) - threshold;
        return threshold + (median / Math.Log(2) * Math.Log(tail / risk));
    }

    private double Empirical(double q, int n)
    {
        var position = Math.Clamp(q, 0, 1) * (n - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, n - 1);
        return _sorted[lower] + ((position - lower) * (_sorted[upper] - _sorted[lower]));
    }

    /// <summary>The first index of the sorted prefix of length <paramref name="n"/> whose value is not below <paramref name="value"/>.</summary>
    private int Find(double value, int n)
    {
        var (low, high) = (0, n);
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_sorted[mid] < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
