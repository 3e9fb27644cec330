using Microsoft.Extensions.Time.Testing;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Signals;

namespace Shoal.Autoscaling.Tests.Actuators;

public sealed class ControllerTests
{
    [Fact]
    public async Task Tick_ReadsTheLoadDecidesAndScalesThroughTheActuator()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var aggregator = new LoadAggregator(time);
        aggregator.Report(new LoadReport("a", time.GetUtcNow(), TimeSpan.FromSeconds(1), 450, 3, TimeSpan.Zero, TimeSpan.Zero, 0, 0.5));
        var actuator = new DryRunActuator(initialReplicas: 1, time);
        var events = new List<ScaleEvent>();
        actuator.Changed += (_, e) => events.Add(e);
        var policy = new HpaScalingPolicy(new HpaOptions { TargetUtilisation = 0.5 }, new FixedCapacityModel(100));
        var controller = new AutoscaleController(aggregator, policy, actuator, time, TimeSpan.FromSeconds(15));

        var decision = await controller.TickAsync();

        // One replica at 450% against a 50% target wants 9, limited to max(+100%, +4) = 5.
        Assert.Equal(5, decision.Desired);
        Assert.Equal(5, await actuator.GetReplicasAsync());
        var change = Assert.Single(events);
        Assert.Equal((ScaleEventKind.Scaled, 1, 5), (change.Kind, change.From, change.To));
        Assert.Single(actuator.History);
    }

    [Fact]
    public async Task Run_TicksEveryControlIntervalUntilCancelled()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var source = new FixedSource(time, rps: 1000);
        var actuator = new DryRunActuator(initialReplicas: 1, time);
        var policy = new HpaScalingPolicy(new HpaOptions { TargetUtilisation = 0.5 }, new FixedCapacityModel(100));
        var controller = new AutoscaleController(source, policy, actuator, time, TimeSpan.FromSeconds(15));
        using var scaled = new SemaphoreSlim(0);
        actuator.Changed += (_, _) => scaled.Release();
        using var cts = new CancellationTokenSource();
        var run = controller.RunAsync(cts.Token);

        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(15));
            Assert.True(await scaled.WaitAsync(TimeSpan.FromSeconds(10)), $"tick {i} did not scale");
        }

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 5, 10], actuator.History.Select(e => e.From));
    }

    [Fact]
    public async Task Tick_WithReplicasButNoLoadReports_HoldsWithoutAskingThePolicy()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var aggregator = new LoadAggregator(time);
        var actuator = new DryRunActuator(initialReplicas: 3, time);
        var policy = new CountingPolicy();
        var controller = new AutoscaleController(aggregator, policy, actuator, time, TimeSpan.FromSeconds(15));

        var decision = await controller.TickAsync();

        // A missing signal is not a load of zero: nothing is fed to the policy's forecaster, nothing scales.
        Assert.Equal(ScalingReason.NoMetrics, decision.Reason);
        Assert.Equal(3, decision.Desired);
        Assert.Equal(0, policy.Calls);
        Assert.Empty(actuator.History);
    }

    [Fact]
    public async Task Tick_NoLoadReportsBelowTheMinimum_ScalesToTheMinimumWithoutAskingThePolicy()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var actuator = new DryRunActuator(initialReplicas: 1, time);
        var policy = new CountingPolicy();
        var controller = new AutoscaleController(new LoadAggregator(time), policy, actuator, time, TimeSpan.FromSeconds(15)) { MinReplicas = 2 };

        var decision = await controller.TickAsync();

        Assert.Equal(ScalingReason.NoMetrics, decision.Reason);
        Assert.Equal(2, decision.Desired);
        Assert.Equal(2, await actuator.GetReplicasAsync());
        Assert.Equal(0, policy.Calls);
    }

    private sealed class CountingPolicy : IScalingPolicy
    {
        public int Calls { get; private set; }

        public string Name => "counting";

        public ScalingDecision Decide(ScalingInput input)
        {
            Calls++;
            return new ScalingDecision(input.Now, Name, input.RequestsPerSecond, 0, 0, 1, input.CurrentReplicas, 1, 1, ScalingReason.Hold);
        }
    }

    private sealed class FixedSource(TimeProvider time, double rps) : ILoadSignalSource
    {
        public ClusterLoad Read() => new(time.GetUtcNow(), 1000, rps, 0, TimeSpan.Zero, TimeSpan.Zero, 0, 0);
    }
}
