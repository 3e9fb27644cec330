namespace Shoal.Client.Cluster.LoadBalancing.Internal;

/// <summary>The warm-up ramp: a new endpoint's weight grows linearly from a floor to its full weight over the warm-up period.</summary>
internal static class Warmup
{
    /// <summary>The share (0–1] of its weight an endpoint that started warming <paramref name="elapsed"/> ago gets.</summary>
    public static double Factor(TimeSpan elapsed, TimeSpan period, int minPercent)
    {
        if (period <= TimeSpan.Zero || elapsed >= period)
        {
            return 1.0;
        }
        var floor = Math.Clamp(minPercent, 1, 100) / 100.0;
        if (elapsed <= TimeSpan.Zero)
        {
            return floor;
        }
        return floor + ((1.0 - floor) * (elapsed / period));
    }
}
