namespace Shoal.Autoscaling.Policy.Internal;

/// <summary>
/// A persistence forecaster calibrated multiplicatively: the distribution, over a long memory, of the ratio of the
/// load a decision's replicas serve to the load when the decision was made; its 1 − risk quantile times the load
/// now is an upper bound that needs no structure in the data (what the HPA's fixed target approximates).
/// </summary>
/// <remarks>
/// The ratios are kept as natural logarithms in a histogram of <see cref="Bins"/> bins of <see cref="BinWidth"/>
/// (half a percent) over ln 1/20 .. ln 20, with a ring of the last <c>memory</c> bin indices so the oldest leaves
/// as a new one comes (memory: two bytes a sample; a day of 15 s ticks is 11.5 KB, plus 4.8 KB of counts). Adding
/// is O(1); a quantile O(bins). A risk below what the memory resolves (fewer than
/// <see cref="ConformalQuantile.TailCount"/> samples above the level) gets the quantile with that many above.
/// </remarks>
internal sealed class GrowthBound
{
    private const double BinWidth = 0.005;
    private const double Lowest = -3.0;
    private const int Bins = 1200;

    private readonly ushort[] _ring;
    private readonly int[] _counts = new int[Bins];
    private long _added;

    public GrowthBound(int memory) => _ring = new ushort[Math.Max(1, memory)];

    public int Count => (int)Math.Min(_added, _ring.Length);

    /// <summary>Records the load a decision's replicas served against the load when it was made.</summary>
    public void Add(double served, double atDecision)
    {
        if (!(atDecision > 0) || !(served >= 0))
        {
            return;
        }

        var bin = (ushort)Math.Clamp((int)Math.Floor((Math.Log(Math.Max(served, atDecision / 20) / atDecision) - Lowest) / BinWidth), 0, Bins - 1);
        if (_added >= _ring.Length)
        {
            _counts[_ring[_added % _ring.Length]]--;
        }

        _ring[_added % _ring.Length] = bin;
        _counts[bin]++;
        _added++;
    }

    /// <summary>The 1 − <paramref name="risk"/> quantile of the growth ratio (NaN until enough is known).</summary>
    public double Upper(double risk)
    {
        var n = Count;
        if (n < 2 * ConformalQuantile.TailCount)
        {
            return double.NaN;
        }

        // Not extrapolated: past what the memory resolves, the far tail is the calibrated quantile's and the
        // surprise rule's to buy (an extrapolated persistence tail made high knobs cost replicas in every flat stretch).
        var tail = (double)ConformalQuantile.TailCount / n;
        return Math.Exp(FromTop(Math.Max(risk, tail) * n));
    }

    /// <summary>The log ratio with <paramref name="above"/> samples above it (interpolated within its bin).</summary>
    private double FromTop(double above)
    {
        var seen = 0.0;
        for (var bin = Bins - 1; bin >= 0; bin--)
        {
            var c = _counts[bin];
            if (seen + c > above)
            {
                var within = c == 0 ? 0 : (above - seen) / c;
                return Lowest + ((bin + 1 - within) * BinWidth);
            }

            seen += c;
        }

        return Lowest;
    }
}
