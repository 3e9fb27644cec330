using Shoal.Server.Load.Internal;

namespace Shoal.Server.Tests.Load;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Midpoint_AnyValue_IsWithinSixPercentOfIt()
    {
        var value = 1L;
        for (var i = 0; i < 400 && value < (1L << 40); i++)
        {
            var midpoint = LatencyHistogram.MidpointOf(LatencyHistogram.IndexOf(value));
            if (value < 8)
            {
                Assert.Equal(value, midpoint);
            }
            else
            {
                Assert.InRange(Math.Abs(midpoint - value) / value, 0, 1.0 / 16 + 1e-9);
            }
            value = value * 11 / 10 + 1;
        }
    }

    [Fact]
    public void IndexOf_ExtremeValues_StayInsideTheBuckets()
    {
        Assert.Equal(0, LatencyHistogram.IndexOf(-5));
        Assert.Equal(LatencyHistogram.BucketCount - 1, LatencyHistogram.IndexOf(long.MaxValue));
        Assert.True(LatencyHistogram.IndexOf(1000) < LatencyHistogram.IndexOf(1200));
    }

    [Fact]
    public void Quantile_WindowOfCounts_UsesNearestRankOfTheDifference()
    {
        var histogram = new LatencyHistogram();
        var previous = new long[LatencyHistogram.BucketCount];
        var current = new long[LatencyHistogram.BucketCount];
        // An earlier window's slow calls must not count in this one.
        histogram.Record(900_000);
        histogram.CopyTo(previous);
        for (var i = 0; i < 90; i++)
        {
            histogram.Record(1_000);
        }
        for (var i = 0; i < 10; i++)
        {
            histogram.Record(50_000);
        }
        histogram.CopyTo(current);

        Assert.InRange(LatencyHistogram.Quantile(current, previous, 0.5), 1_000 * 0.94, 1_000 * 1.07);
        Assert.InRange(LatencyHistogram.Quantile(current, previous, 0.9), 1_000 * 0.94, 1_000 * 1.07);
        Assert.InRange(LatencyHistogram.Quantile(current, previous, 0.91), 50_000 * 0.94, 50_000 * 1.07);
        Assert.InRange(LatencyHistogram.Quantile(current, previous, 0.99), 50_000 * 0.94, 50_000 * 1.07);
        Assert.Equal(0, LatencyHistogram.Quantile(current, current, 0.99));
    }
}
