using Shoal.Autoscaling.Simulation;

namespace Shoal.Autoscaling.Tests.Evaluation;

public sealed class FrontierTests
{
    [Fact]
    public void DominatedRuns_AreNotFrontierPoints()
    {
        var frontier = Frontier.Of([Run(100, 50), Run(150, 60), Run(200, 10), Run(250, 10), Run(300, 0)]);

        Assert.Equal([100.0, 200, 300], frontier.Points.Select(p => p.ReplicaMinutes));
    }

    [Fact]
    public void CostBetweenPoints_IsInterpolatedLinearly()
    {
        var frontier = Frontier.Of([Run(100, 50), Run(200, 10)]);

        Assert.Equal(30, frontier.LateAt(150)!.Value, 9);
        Assert.Equal(50, frontier.LateAt(100)!.Value, 9);
    }

    [Fact]
    public void CostBelowTheCheapestPoint_IsUndefinedAndAboveTheDearestIsItsValue()
    {
        var frontier = Frontier.Of([Run(100, 50), Run(200, 10)]);

        Assert.Null(frontier.LateAt(99));
        Assert.Equal(10, frontier.LateAt(1000));
    }

    [Fact]
    public void Compare_SumsLateRequestsAtTheFourHpaCosts()
    {
        SimulationReport[] hpa = [Hpa(0.5, 400, 0), Hpa(0.6, 300, 10), Hpa(0.7, 200, 30), Hpa(0.8, 100, 60)];
        var shoal = Run(150, 10, knob: 0.9, events: 6);
        var sweep = new[] { Run(90, 40, knob: 0.5), shoal, Run(400, 0, knob: 0.999) };

        var result = FrontierComparison.Compare(shoal, sweep, hpa, []);

        // At HPA-50/60/70/80%'s costs (400, 300, 200, 100): Shoal's frontier 0 + 4 + 8 + 35 over HPA's 0 + 10 + 30 + 60.
        Assert.Equal([0, 4, 8, 35], result.CostPoints.Select(p => Math.Round(p.Shoal!.Value, 9)));
        Assert.Equal(47.0 / 100, result.FrontierRatio!.Value, 9);
        Assert.Null(result.SeasonalNaiveRatio);
    }

    [Fact]
    public void Compare_ShoalNeverAsCheapAsAnHpaPoint_RatioIsUndefined()
    {
        SimulationReport[] hpa = [Hpa(0.5, 400, 0), Hpa(0.6, 300, 10), Hpa(0.7, 200, 30), Hpa(0.8, 100, 60)];
        var shoal = Run(150, 0, knob: 0.9);

        var result = FrontierComparison.Compare(shoal, [shoal], hpa, []);

        Assert.Null(result.CostPoints[^1].Shoal);
        Assert.Null(result.FrontierRatio);
        Assert.False(result.Meets);
    }

    [Fact]
    public void Compare_FlappingIsDefaultKnobEventsOverHpa70s()
    {
        SimulationReport[] hpa = [Hpa(0.5, 400, 0), Hpa(0.6, 300, 0), Hpa(0.7, 200, 0, events: 20), Hpa(0.8, 100, 0)];
        var shoal = Run(100, 0, knob: 0.9, events: 30);

        var result = FrontierComparison.Compare(shoal, [shoal], hpa, []);

        Assert.Equal(0, result.FrontierRatio);
        Assert.Equal(1.5, result.FlappingRatio);
        Assert.True(result.Meets);
    }

    private static SimulationReport Run(double cost, double late, double? knob = null, int events = 0) => new()
    {
        Policy = "shoal",
        Trace = "test",
        Knob = knob,
        ReplicaMinutes = cost,
        UnservedRequests = late,
        ScaleEvents = events,
    };

    private static SimulationReport Hpa(double target, double cost, double late, int events = 0) =>
        Run(cost, late, events: events) with { Policy = $"hpa-{target * 100:0}%", Target = target };
}
