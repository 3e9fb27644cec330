using Shoal.Cli.Commands.Bench;

namespace Shoal.Cli.Tests.Commands.Bench;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void EmptyHistogram_ReportsZeros()
    {
        var histogram = new LatencyHistogram();

        Assert.Equal((0L, 0L, 0.0), (histogram.Count, histogram.ValueAt(99), histogram.Mean));
    }

    [Fact]
    public void UniformValues_PercentilesWithinOnePercent()
    {
        var histogram = new LatencyHistogram();
        for (long us = 1; us <= 10_000; us++)
        {
            histogram.Record(us * 1000);
        }

        AssertNear(5_000_000, histogram.ValueAt(50));
        AssertNear(9_000_000, histogram.ValueAt(90));
        AssertNear(9_900_000, histogram.ValueAt(99));
        AssertNear(9_990_000, histogram.ValueAt(99.9));
        Assert.Equal(10_000_000, histogram.ValueAt(100));
        Assert.Equal(1000, histogram.Min);
        AssertNear(5_000_500, (long)histogram.Mean);
    }

    [Fact]
    public void SmallValues_AreExact()
    {
        var histogram = new LatencyHistogram();
        foreach (var value in new long[] { 3, 3, 200, 255 })
        {
            histogram.Record(value);
        }

        Assert.Equal(3, histogram.ValueAt(50));
        Assert.Equal(200, histogram.ValueAt(75));
        Assert.Equal(255, histogram.ValueAt(100));
    }

    [Fact]
    public void Buckets_AreContiguousAndContainTheirValues()
    {
        var previousHigh = -1L;
        for (var index = 0; index < 4000; index++)
        {
            var (low, high) = LatencyHistogram.BoundsOf(index);
            Assert.Equal(previousHigh + 1, low);
            Assert.Equal(index, LatencyHistogram.IndexOf(low));
            Assert.Equal(index, LatencyHistogram.IndexOf(high));
            Assert.True(high - low <= Math.Max(1, low / 128), $"bucket {index} [{low},{high}] is wider than 1/128 of its value");
            previousHigh = high;
        }
    }

    [Fact]
    public void OutOfRangeValues_AreClamped()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-5);
        histogram.Record(long.MaxValue);

        Assert.Equal(0, histogram.Min);
        Assert.Equal((1L << 40) - 1, histogram.Max);
    }

    [Fact]
    public void Add_MergesCountsMinMaxAndSum()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        a.Record(1000);
        b.Record(3000);
        b.Record(5000);

        a.Add(b);

        Assert.Equal((3L, 1000L, 5000L), (a.Count, a.Min, a.Max));
        Assert.Equal(3000, a.Mean);
        AssertNear(3000, a.ValueAt(50));
    }

    [Fact]
    public void Record_DoesNotAllocate()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            histogram.Record(i * 977L);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static void AssertNear(long expected, long actual) =>
        Assert.True(Math.Abs(expected - actual) <= expected / 100, $"expected about {expected}, got {actual}");
}
