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
/// Cost: O(cycles × anchor) per forecast; memory: the shared history of cycles × period samples.
/// </remarks>
internal sealed class SeasonalAnalog(int period, int cycles, int anchor)
{
    public int Period { get; } = period;

    /// <summary>Gets how many samples the history must hold for the forecast of one cycle back.</summary>
    public int Needs => Period + anchor;

    /// <summary>The forecast <paramref name="steps"/> samples after the view's latest, or NaN while no cycle is complete.</summary>
    public double Forecast(SampleView view, int steps, double floor)
    {
        Span<double> one = stackalloc double[1];
        Forecast(view, steps, steps, floor, one);
        return one[0];
    }

    /// <summary>
    /// The forecasts from <paramref name="first"/> to <paramref name="last"/> samples after the view's latest
    /// (NaN while no cycle is complete); the level ratios are computed once for all of them.
    /// </summary>
    public void Forecast(SampleView view, int first, int last, double floor, Span<double> output)
    {
        var latest = view.Last;
        Span<double> levels = stackalloc double[cycles];
        Span<double> ratios = stackalloc double[anchor];
        var known = 0;
        for (var k = 1; k <= cycles; k++)
        {
            var back = (long)k * Period;
            if (!view.Holds(latest - anchor + 1 - back))
            {
                break;
            }

            for (var j = 0; j < anchor; j++)
            {
                ratios[j] = Math.Max(view[latest - j], floor) / Math.Max(view[latest - j - back], floor);
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
                    candidates[found++] = view[source] * levels[k - 1];
                }
            }

            output[steps - first] = found == 0 ? double.NaN : RobustMedian.Of(candidates[..found], reference);
        }
    }
}
