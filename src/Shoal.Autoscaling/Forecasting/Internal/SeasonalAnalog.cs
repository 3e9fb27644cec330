namespace Shoal.Autoscaling.Forecasting.Internal;

/// <summary>
/// The forecast of one seasonal period: the value one, two, ... cycles before the target (up to
/// <c>cycles</c>), each scaled by how the level now compares with the level at the same phase of its cycle,
/// and the median of those.
/// </summary>
/// <remarks>
/// The level ratio of a cycle is the median of the ratios of the last <c>anchor</c> samples to the samples
/// one cycle earlier, so it follows a level shift within about half the anchor and ignores a single spike;
/// the median over cycles keeps a one-off event in one cycle (a spike, a holiday) out of the forecast.
/// With a width (the <see cref="OnsetJitter"/> of a period found in the data), the value of a
/// cycle is the highest within that many samples of the phase: the envelope, under which a batch that started a
/// few minutes earlier or later in past cycles than it will now is still expected from the minute it could start.
/// Cost: O(cycles × (anchor + width)) per forecast; memory: the shared history of cycles × period samples.
/// </remarks>
internal sealed class SeasonalAnalog(int period, int cycles, int anchor, OnsetJitter? jitter = null)
{
    public int Period { get; } = period;

    /// <summary>Gets the jitter of the rises, when this period's is learnt.</summary>
    public OnsetJitter? Jitter { get; } = jitter;

    /// <summary>Gets how many samples the history must hold for the forecast of one cycle back.</summary>
    public int Needs => Period + anchor;

    /// <summary>The forecast <paramref name="steps"/> samples after the view's latest, or NaN while no cycle is complete.</summary>
    public double Forecast(SampleView view, int steps, double floor)
    {
        Span<double> one = stackalloc double[1];
        Forecast(view, steps, steps, floor, 0, one);
        return one[0];
    }

    /// <summary>
    /// The forecasts from <paramref name="first"/> to <paramref name="last"/> samples after the view's latest
    /// (NaN while no cycle is complete), each cycle's value the highest within <paramref name="width"/> samples of
    /// the phase; the level ratios are computed once for all of them.
    /// </summary>
    public void Forecast(SampleView view, int first, int last, double floor, int width, Span<double> output)
    {
        var latest = view.Last;
        Span<double> levels = stackalloc double[cycles];
        Span<double> ratios = stackalloc double[anchor];
        var known = 0;
        for (var k = 1; k <= cycles; k++)
        {
            var back = (long)k * Period;
            if (!view.Holds(latest - anchor + 1 - back - width))
            {
                break;
            }

            for (var j = 0; j < anchor; j++)
            {
                var now = view[latest - j];
                ratios[j] = Math.Max(now, floor) / Math.Max(Nearest(view, latest - j - back, width, now), floor);
            }

            levels[known++] = RobustMedian.Of(ratios, 1);
        }

        Span<double> candidates = stackalloc double[cycles];
        var reference = view[latest];
        for (var steps = first; steps <= last; steps++)
        {
            var target = latest + steps;
            var found = 0;
            for (var k = 1; k <= known; k++)
            {
                var source = target - ((long)k * Period);
                if (source <= latest && view.Holds(source))
                {
                    candidates[found++] = Highest(view, source, width) * levels[k - 1];
                }
            }

            output[steps - first] = found == 0 ? double.NaN : RobustMedian.Of(candidates[..found], reference);
        }
    }

    /// <summary>
    /// The sample within <paramref name="width"/> of <paramref name="source"/> nearest to <paramref name="value"/>:
    /// with a jitter, the level now is compared with the same state of the cycle then (a batch that had already
    /// started one cycle ago at this phase is not a fall of the level now).
    /// </summary>
    private static double Nearest(SampleView view, long source, int width, double value)
    {
        var nearest = view[source];
        for (var index = source - width; index <= Math.Min(view.Last, source + width); index++)
        {
            if (Math.Abs(view[index] - value) < Math.Abs(nearest - value))
            {
                nearest = view[index];
            }
        }

        return nearest;
    }

    /// <summary>The highest sample within <paramref name="width"/> of <paramref name="source"/>, among those held and observed.</summary>
    private static double Highest(SampleView view, long source, int width)
    {
        var highest = view[source];
        for (var index = Math.Max(0, source - width); index <= Math.Min(view.Last, source + width); index++)
        {
            if (view.Holds(index))
            {
                highest = Math.Max(highest, view[index]);
            }
        }

        return highest;
    }
}
