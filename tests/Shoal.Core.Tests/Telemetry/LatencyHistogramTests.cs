using Shoal.Telemetry.Internal;

namespace Shoal.Core.Tests.Telemetry;

/// <summary>
/// The one latency histogram: the bench's percentiles (<see cref="LatencyHistogram.ValueAt"/>) and the
/// server load monitor's window quantiles (<see cref="LatencyHistogram.Quantile"/>) on known distributions.
/// </summary>
public sealed class LatencyHistogramTests
{
    [Fact]
    public void EmptyHistogram_ReportsZeros()
    {
        var histogram = new LatencyHistogram();
        var counts = new long[LatencyHistogram.BucketCount];

        Assert.Equal((0L, 0L, 0.0, 0L), (histogram.Count, histogram.ValueAt(99), histogram.Mean, histogram.Total()));
        Assert.Equal(0, LatencyHistogram.Quantile(counts, counts, 0.99));
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
    public void ExponentialValues_BothReadingsMatchTheExactNearestRankWithinHalfAPercent()
    {
        // 100,000 latencies with a 2 ms mean (in microseconds), from a fixed seed.
        var random = new Random(13);
        var values = Enumerable.Range(0, 100_000).Select(_ => (long)(-2_000 * Math.Log(1 - random.NextDouble())) + 1).ToArray();
        var single = new LatencyHistogram();
        var shared = new LatencyHistogram();
        var before = new long[LatencyHistogram.BucketCount];
        var after = new long[LatencyHistogram.BucketCount];
        shared.RecordConcurrent(5_000_000);
        shared.CopyTo(before);
        foreach (var value in values)
        {
            single.Record(value);
            shared.RecordConcurrent(value);
        }
        Assert.Equal(100_001, shared.CopyTo(after));
        var sorted = values.Order().ToArray();

        foreach (var percentile in new[] { 50.0, 90, 99, 99.9 })
        {
            var exact = sorted[(int)Math.Ceiling(percentile / 100 * sorted.Length) - 1];
            AssertNear(exact, single.ValueAt(percentile), 0.005);
            AssertNear(exact, LatencyHistogram.Quantile(after, before, percentile / 100), 0.005);
        }
    }

    [Fact]
    public void Quantile_WindowOfCounts_UsesNearestRankOfTheDifference()
    {
        var histogram = new LatencyHistogram();
        var previous = new long[LatencyHistogram.BucketCount];
        var current = new long[LatencyHistogram.BucketCount];
        // An earlier window's slow calls must not count in this one.
        histogram.RecordConcurrent(900_000);
        histogram.CopyTo(previous);
        for (var i = 0; i < 90; i++)
        {
            histogram.RecordConcurrent(1_000);
        }
        for (var i = 0; i < 10; i++)
        {
            histogram.RecordConcurrent(50_000);
        }
        histogram.CopyTo(current);

        AssertNear(1_000, LatencyHistogram.Quantile(current, previous, 0.5));
        AssertNear(1_000, LatencyHistogram.Quantile(current, previous, 0.9));
        AssertNear(50_000, LatencyHistogram.Quantile(current, previous, 0.91));
        AssertNear(50_000, LatencyHistogram.Quantile(current, previous, 0.99));
        Assert.Equal(0, LatencyHistogram.Quantile(current, current, 0.99));
        Assert.Equal(101, histogram.Total());
    }

    [Fact]
    public void RecordConcurrent_FromManyThreads_LosesNoCount()
    {
        var histogram = new LatencyHistogram();

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                histogram.RecordConcurrent(700);
            }
        });

        Assert.Equal(200_000, histogram.Total());
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
        for (var index = 0; index < LatencyHistogram.BucketCount; index++)
        {
            var (low, high) = LatencyHistogram.BoundsOf(index);
            Assert.Equal(previousHigh + 1, low);
            Assert.Equal(index, LatencyHistogram.IndexOf(low));
            Assert.Equal(index, LatencyHistogram.IndexOf(high));
            Assert.True(high - low <= Math.Max(1, low / 128), $"bucket {index} [{low},{high}] is wider than 1/128 of its value");
            Assert.InRange(LatencyHistogram.MiddleOf(index), low, high);
            previousHigh = high;
        }
        Assert.Equal(LatencyHistogram.MaxValue, previousHigh);
    }

    [Fact]
    public void OutOfRangeValues_AreClamped()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-5);
        histogram.Record(long.MaxValue);
        histogram.RecordConcurrent(-5);
        histogram.RecordConcurrent(long.MaxValue);

        Assert.Equal(0, histogram.Min);
        Assert.Equal(LatencyHistogram.MaxValue, histogram.Max);
        Assert.Equal(4, histogram.Total());
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
        histogram.RecordConcurrent(1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            histogram.Record(i * 977L);
            histogram.RecordConcurrent(i * 977L);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static void AssertNear(long expected, long actual, double fraction = 0.01) =>
        Assert.True(Math.Abs(expected - actual) <= expected * fraction, $"expected about {expected}, got {actual} (tolerance {fraction:P1})");
}
