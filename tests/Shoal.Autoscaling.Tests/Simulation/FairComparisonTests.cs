using Shoal.Autoscaling.Forecasting;
using Shoal.Autoscaling.Simulation;
using Shoal.Autoscaling.Simulation.Corpus;

namespace Shoal.Autoscaling.Tests.Simulation;

public sealed class FairComparisonTests
{
    private static readonly SimulationReport[] Curve =
    [
        Report(0.5, cost: 300, overloaded: 0),
        Report(0.7, cost: 200, overloaded: 10),
        Report(0.9, cost: 100, overloaded: 50),
    ];

    [Fact]
    public void CostBetweenTwoHpaPoints_IsInterpolatedLinearly()
    {
        var (overloaded, note) = FairComparison.Interpolate(Curve, 150);

        Assert.Equal(30, overloaded, 9);
        Assert.Null(note);
    }

    [Fact]
    public void CostOutsideTheCurve_IsClampedToTheNearestEndWithANote()
    {
        var (cheap, cheapNote) = FairComparison.Interpolate(Curve, 50);
        var (dear, dearNote) = FairComparison.Interpolate(Curve, 400);

        Assert.Equal(50, cheap);
        Assert.Contains("below the cheapest", cheapNote, StringComparison.Ordinal);
        Assert.Equal(0, dear);
        Assert.Contains("above the dearest", dearNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Ratio_IsShoalOverHpaAtTheSameCost()
    {
        var result = FairComparison.Compare(Report(null, cost: 250, overloaded: 2), Curve);

        Assert.Equal(5, result.HpaOverloadedAtShoalCost, 9);
        Assert.Equal(0.4, result.Ratio!.Value, 9);
    }

    [Fact]
    public void HpaNeverOverloadedAtThatCost_RatioIsZeroIfShoalNeitherAndUndefinedOtherwise()
    {
        var both = FairComparison.Compare(Report(null, cost: 350, overloaded: 0), Curve);
        var onlyShoal = FairComparison.Compare(Report(null, cost: 350, overloaded: 1), Curve);

        Assert.Equal(0, both.Ratio);
        Assert.Null(onlyShoal.Ratio);
        Assert.Contains("undefined", onlyShoal.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SweepsHpaFrom40To90Percent()
    {
        var trace = TraceCorpus.Generate("launch-ramp", 1);
        var result = FairComparison.Run(trace, new SimulationOptions { CapacityPerInstance = trace.PeakRequestsPerSecond / 20 });

        Assert.Equal(FairComparison.DefaultTargets, result.Hpa.Select(r => r.Target!.Value));
        Assert.NotNull(result.Ratio);
    }

    [Fact]
    public void CreateShoal_WithAForecaster_UsesThatForecaster()
    {
        var trace = TraceCorpus.Generate("launch-ramp", 1);
        var forecaster = new EwmaForecaster(0.5);

        var policy = FairComparison.CreateShoal(trace, new SimulationOptions { CapacityPerInstance = 50 }, null, forecaster);
        var byDefault = FairComparison.CreateShoal(trace, new SimulationOptions { CapacityPerInstance = 50 });

        Assert.Same(forecaster, policy.Forecaster);
        Assert.IsType<SeasonalEnsembleForecaster>(byDefault.Forecaster);
    }

    [Fact]
    public void Run_WithAForecaster_FeedsItOneSamplePerTraceInterval()
    {
        var trace = TraceCorpus.Generate("launch-ramp", 1);
        var forecaster = new EwmaForecaster(0.5);

        var result = FairComparison.Run(trace, new SimulationOptions { CapacityPerInstance = trace.PeakRequestsPerSecond / 20 }, null, [0.7], forecaster);

        Assert.Equal(trace.Counts.Count, forecaster.Count);
        Assert.Single(result.Hpa);
        Assert.NotNull(result.Ratio);
    }

    private static SimulationReport Report(double? target, double cost, double overloaded) => new()
    {
        Policy = target is { } t ? $"hpa-{t * 100:0}%" : "shoal",
        Trace = "test",
        Target = target,
        ReplicaMinutes = cost,
        OverloadedMinutes = overloaded,
    };
}
