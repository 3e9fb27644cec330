using Shoal.Autoscaling.Capacity;

namespace Shoal.Autoscaling.Tests.Capacity;

public sealed class CapacityModelTests
{
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Slow = TimeSpan.FromMilliseconds(500);

    [Fact]
    public void Fixed_ReturnsTheConfiguredCapacityWhateverItObserves()
    {
        var model = new FixedCapacityModel(120);
        model.Observe(1000, Fast);

        Assert.Equal(120, model.RequestsPerSecondPerInstance);
    }

    [Fact]
    public void Fixed_WithZeroCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedCapacityModel(0));
    }

    [Fact]
    public void Learned_BeforeEnoughHealthyObservations_UsesTheConservativeDefault()
    {
        var model = new LearnedCapacityModel(new LearnedCapacityOptions { DefaultRequestsPerSecond = 40, MinObservations = 5 });
        for (var i = 0; i < 4; i++)
        {
            model.Observe(300, Fast);
        }

        Assert.Equal(40, model.RequestsPerSecondPerInstance);
    }

    [Fact]
    public void Learned_FromHealthyObservations_ApproachesTheHighestThroughputWithinTheObjective()
    {
        var model = new LearnedCapacityModel(new LearnedCapacityOptions { MinObservations = 5, Smoothing = 0.3 });
        foreach (var rps in new[] { 100.0, 150, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200 })
        {
            model.Observe(rps, Fast);
        }

        // Throughput above the objective does not count as capacity.
        model.Observe(400, Slow);

        Assert.InRange(model.RequestsPerSecondPerInstance, 195, 200);
    }

    [Fact]
    public void Learned_WhenTheObjectiveBreaksBelowTheEstimate_LowersIt()
    {
        var model = new LearnedCapacityModel(new LearnedCapacityOptions { MinObservations = 1, Smoothing = 1 });
        model.Observe(200, Fast);
        model.Observe(120, Slow);

        Assert.Equal(160, model.RequestsPerSecondPerInstance, 6);
    }

    [Fact]
    public void Learned_IgnoresNonPositiveAndNonFiniteThroughput()
    {
        var model = new LearnedCapacityModel(new LearnedCapacityOptions { MinObservations = 1, DefaultRequestsPerSecond = 10 });
        model.Observe(double.NaN, Fast);
        model.Observe(-5, Fast);
        model.Observe(0, Fast);

        Assert.Equal(0, model.HealthyObservations);
        Assert.Equal(10, model.RequestsPerSecondPerInstance);
    }
}
