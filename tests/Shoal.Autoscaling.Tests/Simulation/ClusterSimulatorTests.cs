using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Simulation;
using Shoal.Autoscaling.Simulation.Corpus;

namespace Shoal.Autoscaling.Tests.Simulation;

public sealed class ClusterSimulatorTests
{
    private static readonly LoadTrace TenMinutesAt100 = new("flat", TimeSpan.FromMinutes(1), Enumerable.Repeat(6000.0, 10).ToArray());

    [Fact]
    public void EnoughReadyReplicas_NoOverloadAndCostIsReplicasTimesDuration()
    {
        var report = ClusterSimulator.Run(TenMinutesAt100, new FixedPolicy(2), Options(initial: 2));

        Assert.Equal(0, report.OverloadedMinutes);
        Assert.Equal(0, report.UnservedRequests);
        Assert.Equal(20, report.ReplicaMinutes, 9);
        Assert.Equal(0, report.ScaleEvents);
        Assert.Equal(60_000, report.TotalRequests);
    }

    [Fact]
    public void TooFewReplicas_EveryMinuteIsOverloadedAndTheExcessIsUnserved()
    {
        var report = ClusterSimulator.Run(TenMinutesAt100, new FixedPolicy(1), Options(initial: 1));

        Assert.Equal(10, report.OverloadedMinutes, 9);
        Assert.Equal(50 * 600, report.UnservedRequests);
    }

    [Fact]
    public void NewReplicas_ServeOnlyAfterTheStartupDelayButCostFromTheDecision()
    {
        var report = ClusterSimulator.Run(TenMinutesAt100, new FixedPolicy(3), Options(initial: 1));

        // Decided at 15 s, ready at 75 s: ticks starting at 0, 15, 30, 45 and 60 s are short of capacity.
        Assert.Equal(1.25, report.OverloadedMinutes, 9);
        Assert.Equal(50 * 75, report.UnservedRequests);
        Assert.Equal(10 + (2 * 585 / 60.0), report.ReplicaMinutes, 9);
        Assert.Equal(1, report.ScaleUps);
    }

    [Fact]
    public void RemovedReplicas_StopServingAtOnceAndCostUntilTheirDrainEnds()
    {
        var report = ClusterSimulator.Run(TenMinutesAt100, new FixedPolicy(1), Options(initial: 3));

        // 3 replicas for the first three ticks (two of them draining from 15 s to 45 s), then 1.
        Assert.Equal(11.5, report.ReplicaMinutes, 9);
        Assert.Equal(9.75, report.OverloadedMinutes, 9);
        Assert.Equal(1, report.ScaleDowns);
    }

    [Fact]
    public void SameInputs_GiveTheSameReport()
    {
        var trace = TraceCorpus.Generate("flash-crowd", 3);
        var options = new SimulationOptions { CapacityPerInstance = 70 };

        var first = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, options), options);
        var second = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, options), options);

        Assert.Equal(first.OverloadedMinutes, second.OverloadedMinutes);
        Assert.Equal(first.ReplicaMinutes, second.ReplicaMinutes);
        Assert.Equal(first.Timeline, second.Timeline);
    }

    [Fact]
    public void Timeline_HasOnePointPerTraceInterval()
    {
        var report = ClusterSimulator.Run(TenMinutesAt100, new FixedPolicy(2), Options(initial: 2));

        Assert.Equal(10, report.Timeline.Count);
        Assert.Equal(TimeSpan.FromMinutes(9), report.Timeline[^1].Offset);
        Assert.All(report.Timeline, p => Assert.Equal(100, p.Load, 9));
    }

    /// <summary>
    /// A pure step cannot be forecast by anyone. A step that recurs every hour can: after a few hours
    /// the seasonal forecaster has learnt the hour, and Shoal asks for the replicas one lead time before
    /// each step, so they are ready when it comes. HPA only sees the step when it has come, and its
    /// replicas are ready a startup delay later.
    /// </summary>
    [Fact]
    public void RecurringStep_ShoalIsReadyBeforeItAndHpaOnlyAfterIt()
    {
        var counts = new double[12 * 60];
        for (var m = 0; m < counts.Length; m++)
        {
            counts[m] = (m % 60 < 30 ? 200 : 1000) * 60;
        }

        var trace = new LoadTrace("hourly-step", TimeSpan.FromMinutes(1), counts);
        var options = new SimulationOptions { CapacityPerInstance = 100 };
        var shoal = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, options), options);
        var hpa = ClusterSimulator.Run(trace, FairComparison.CreateHpa(options, 0.7), options, 0.7);

        for (var hour = 8; hour < 12; hour++)
        {
            var step = (hour * 60) + 30;
            Assert.True(shoal.Timeline[step].Ready >= 10, $"hour {hour}: Shoal had {shoal.Timeline[step].Ready} ready at the step");
            Assert.True(hpa.Timeline[step].Ready < 10, $"hour {hour}: HPA had {hpa.Timeline[step].Ready} ready at the step");
            var hpaReady = Enumerable.Range(step, 30).First(m => hpa.Timeline[m].Ready >= 10);
            Assert.InRange(hpaReady - step, 1, 5);
        }
    }

    [Fact]
    public void InvalidOptions_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => ClusterSimulator.Run(TenMinutesAt100, new FixedPolicy(1), new SimulationOptions { CapacityPerInstance = 0 }));
    }

    private static SimulationOptions Options(int initial) =>
        new() { CapacityPerInstance = 50, InitialReplicas = initial, Startup = TimeSpan.FromSeconds(60), Drain = TimeSpan.FromSeconds(30) };

    /// <summary>A policy that always asks for the same count.</summary>
    private sealed class FixedPolicy(int replicas) : IScalingPolicy
    {
        public string Name => "fixed";

        public ScalingDecision Decide(ScalingInput input) =>
            new(input.Now, Name, input.RequestsPerSecond, input.RequestsPerSecond, 0, 50, input.CurrentReplicas, replicas, replicas, ScalingReason.Hold);
    }
}
