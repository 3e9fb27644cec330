using Shoal.Autoscaling.Policy.Internal;

namespace Shoal.Autoscaling.Tests.Policy;

/// <summary>Known answers of the growth bound's streaming quantile of load ratios.</summary>
public sealed class GrowthBoundTests
{
    [Fact]
    public void FewerThanFortyRatios_IsUnknown()
    {
        var bound = new GrowthBound(1000);
        for (var i = 0; i < 39; i++)
        {
            bound.Add(120, 100);
        }

        Assert.True(double.IsNaN(bound.Upper(0.01)));
        bound.Add(120, 100);
        Assert.False(double.IsNaN(bound.Upper(0.01)));
    }

    [Fact]
    public void OneRatio_IsItsOwnQuantile_WithinABin()
    {
        var bound = new GrowthBound(1000);
        for (var i = 0; i < 1000; i++)
        {
            bound.Add(120, 100);
        }

        // Bins are half a percent wide in the log ratio.
        Assert.InRange(bound.Upper(0.01), 1.2 / 1.006, 1.2 * 1.006);
    }

    [Fact]
    public void RatiosOlderThanTheMemory_AreForgotten()
    {
        var bound = new GrowthBound(100);
        for (var i = 0; i < 100; i++)
        {
            bound.Add(200, 100);
        }

        for (var i = 0; i < 100; i++)
        {
            bound.Add(110, 100);
        }

        Assert.Equal(100, bound.Count);
        Assert.InRange(bound.Upper(0.01), 1.1 / 1.006, 1.1 * 1.006);
    }

    [Fact]
    public void QuantileInsideTheMemory_IsTheOrderStatistic()
    {
        // 1,000 ratios: 950 at 1.0, 50 at 1.5. The 1% risk level has 10 above it: 1.5; the 10% level: 1.0.
        var bound = new GrowthBound(1000);
        for (var i = 0; i < 1000; i++)
        {
            bound.Add(i % 20 == 0 ? 150 : 100, 100);
        }

        Assert.InRange(bound.Upper(0.01), 1.5 / 1.006, 1.5 * 1.006);
        Assert.InRange(bound.Upper(0.1), 1 / 1.006, 1.006);
    }

    [Fact]
    public void RiskBeyondTheMemory_IsTheQuantileItResolves()
    {
        // 1,000 ratios: 1.0, 1.1, 1.2, ... cycling over 1.0 .. 1.9 (100 of each). Twenty above is the top tier (1.9);
        // a smaller risk asks for no more than that: the far tail is not extrapolated.
        var bound = new GrowthBound(1000);
        for (var i = 0; i < 1000; i++)
        {
            bound.Add(100 + (10 * (i % 10)), 100);
        }

        Assert.InRange(bound.Upper(0.02), 1.9 / 1.006, 1.9 * 1.006);
        Assert.Equal(bound.Upper(0.02), bound.Upper(1e-6));
        Assert.InRange(bound.Upper(0.15), 1.8 / 1.006, 1.8 * 1.006);
    }

    [Fact]
    public void ZeroOrInvalidLoads_AreIgnored()
    {
        var bound = new GrowthBound(100);
        bound.Add(100, 0);
        bound.Add(double.NaN, 100);
        bound.Add(100, double.NaN);
        Assert.Equal(0, bound.Count);
    }
}
