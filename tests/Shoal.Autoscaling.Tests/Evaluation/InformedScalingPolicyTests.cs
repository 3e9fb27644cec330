using Shoal.Autoscaling.Simulation;
using Shoal.Autoscaling.Simulation.Corpus;

namespace Shoal.Autoscaling.Tests.Evaluation;

public sealed class InformedScalingPolicyTests
{
    private const int Step = 100;
    private static readonly DateTimeOffset Origin = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Oracle_PureStep_IsNeverLateAndPaysOnlyTheStartupAheadOfIt()
    {
        var (trace, model) = PureStep();
        var simulation = new SimulationOptions { CapacityPerInstance = 100, InitialReplicas = 5 };

        var report = ClusterSimulator.Run(trace, new InformedScalingPolicy(model, InformedKnowledge.Oracle, simulation, 3), simulation);

        Assert.Equal(0, report.UnservedRequests);
        // 5 replicas before the step and 20 after, the 15 new ones started one startup and one tick early.
        var ideal = (5.0 * Step) + (20.0 * (200 - Step));
        Assert.InRange(report.ReplicaMinutes, ideal, ideal + (15 * 1.25) + 1e-9);
        Assert.Equal(1, report.ScaleEvents);
    }

    [Fact]
    public void Prior_PureStep_IsLateOnlyUntilReplicasStartedAtTheStepAreReady()
    {
        var (trace, model) = PureStep();
        var simulation = new SimulationOptions { CapacityPerInstance = 100, InitialReplicas = 5 };

        var report = ClusterSimulator.Run(trace, new InformedScalingPolicy(model, InformedKnowledge.Prior, simulation, 3), simulation);

        // It learns of the step from the first tick of its minute: 15 replicas short for one tick and one startup.
        Assert.Equal(1500 * 75, report.UnservedRequests);
        Assert.Equal(1, report.ScaleEvents);
    }

    [Fact]
    public void Sweep_IsComparableWithShoalsAtEqualCost()
    {
        var trace = TraceCorpus.Synthetic(2, ["level-shift-up"]).Single(t => t.Seed == 2);
        var simulation = CorpusEvaluation.Simulation(trace, TimeSpan.FromSeconds(60));
        var hpa = FairComparison.DefaultTargets.Select(t => ClusterSimulator.Run(trace.Trace, FairComparison.CreateHpa(simulation, t), simulation, t)).ToArray();
        var model = TraceCorpus.Model("level-shift-up", 2);

        var oracle = FrontierComparison.Sweep(trace.Trace, simulation, CorpusEvaluation.InformedSweep(model, InformedKnowledge.Oracle, simulation), hpa);
        var result = FrontierComparison.Compare(oracle.First(r => r.Knob == 3), oracle, hpa, []);

        Assert.True(result.SweepSpansHpa);
        Assert.All(oracle, r => Assert.Equal("oracle", r.Policy));
        Assert.NotNull(result.FrontierRatio);
        Assert.True(result.FrontierRatio < 1, $"oracle's frontier ratio {result.FrontierRatio:F3}");
    }

    /// <summary>500/s for 100 minutes, then 2,000/s for 100: no noise at all, and a model that says so.</summary>
    private static (LoadTrace Trace, TraceModel Model) PureStep()
    {
        double Rate(int m, Func<TraceEvent, bool> known) => m >= Step && known(new TraceEvent("shift", Step)) ? 2000 : 500;
        var model = new TraceModel(200, Origin, Rate, [new TraceEvent("shift", Step)], 0, 0.97, 0, null);
        var trace = new LoadTrace("step", TimeSpan.FromMinutes(1), [.. Enumerable.Range(0, 200).Select(m => model.Rate(m) * 60)], Origin);
        return (trace, model);
    }
}
