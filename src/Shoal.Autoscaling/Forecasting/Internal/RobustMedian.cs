namespace Shoal.Autoscaling.Forecasting.Internal;

/// <summary>Medians of a few values, as the seasonal forecasts use them to ignore a one-off outlier.</summary>
internal static class RobustMedian
{
    /// <summary>
    /// The median; of an even count, the one of the two middle values nearer to <paramref name="reference"/>
    /// (in ratio), so that with two cycles a pattern counts only when both showed it.
    /// </summary>
    public static double Of(Span<double> values, double reference)
    {
        var n = values.Length;
        if (n == 1)
        {
            return values[0];
        }

        values.Sort();
        if (n % 2 == 1)
        {
            return values[n / 2];
        }

        var (low, high) = (values[(n / 2) - 1], values[n / 2]);
        return Distance(low, reference) <= Distance(high, reference) ? low : high;
    }

    private static double Distance(double value, double reference) =>
        Math.Abs(Math.Log(Math.Max(value, 1e-9) / Math.Max(reference, 1e-9)));
}
