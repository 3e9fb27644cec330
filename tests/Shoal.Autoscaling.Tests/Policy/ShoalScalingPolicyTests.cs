using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Tests.TestSupport;

namespace Shoal.Autoscaling.Tests.Policy;

public sealed class ShoalScalingPolicyTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(15);

    [Fact]
    public void NoisyFlatLoad_AfterWarmUp_DoesNotFlap()
    {
        var (policy, time) = Create(new ShoalPolicyOptions());
        var random = new Random(11);
        var replicas = 10;
        var changes = 0;
        for (var i = 0; i < 4 * 60 * 4; i++)
        {
            var load = 800 * (1 + (0.05 * ((2 * random.NextDouble()) - 1)));
            var decision = Decide(policy, time, load, replicas);
            if (i >= 4 * 60 && decision.Desired != replicas)
            {
                changes++;
            }

            replicas = decision.Desired;
        }

        // Three hours of ±5% noise around 8 replicas' worth of load: a handful of changes at most.
        Assert.InRange(changes, 0, 6);
        Assert.InRange(replicas, 9, 11);
    }

    [Fact]
    public void RisingLoad_ScalesUpBeforeTheLoadArrives()
    {
        var (policy, time) = Create(new ShoalPolicyOptions());
        var replicas = 2;
        ScalingDecision? last = null;
        for (var i = 0; i < 4 * 90; i++)
        {
            var load = 100 + (2.5 * i);
            last = Decide(policy, time, load, replicas);
            replicas = last.Desired;
        }

        // After 90 minutes of a steady climb the forecast runs ahead of the load, and the replicas
        // asked for now cover the load one lead time (60 s) plus one tick later.
        Assert.NotNull(last);
        Assert.True(last.Forecast > last.CurrentLoad, $"forecast {last.Forecast:F0} vs load {last.CurrentLoad:F0}");
        var loadWhenReady = 100 + (2.5 * ((4 * 90) + 5));
        Assert.True(replicas * 100 >= loadWhenReady, $"{replicas} replicas for {loadWhenReady:F0}/s");
    }

    [Fact]
    public void LoadDrop_ScalesDownOnlyAfterTheStabilisationWindowAndStepByStep()
    {
        var options = new ShoalPolicyOptions { ScaleDownStabilisation = TimeSpan.FromSeconds(180), MaxScaleDownStep = 1, MaxScaleDownFraction = 0.1 };
        var (policy, time) = Create(options);
        var replicas = 1;
        for (var i = 0; i < 4 * 60; i++)
        {
            replicas = Decide(policy, time, 2000, replicas).Desired;
        }

        var high = replicas;
        var history = new List<int>();
        for (var i = 0; i < 4 * 30; i++)
        {
            replicas = Decide(policy, time, 200, replicas).Desired;
            history.Add(replicas);
        }

        // Nothing changes inside the 180 s window (12 ticks) after the drop ...
        Assert.All(history.Take(11), r => Assert.Equal(high, r));

        // ... then it steps down by at most max(1, 10%) per tick, and ends near what 200/s needs.
        for (var i = 1; i < history.Count; i++)
        {
            Assert.InRange(history[i - 1] - history[i], 0, Math.Max(1, (int)(history[i - 1] * 0.1)));
        }

        Assert.InRange(replicas, 2, 4);
    }

    [Fact]
    public void AfterAStepDown_ASmallRiseDoesNotStepBackUpUntilTheWindowHasPassed()
    {
        // A fixed 30% headroom (no error statistics), so the arithmetic is visible.
        var (policy, time) = Create(new ShoalPolicyOptions { MinErrorSamples = 1_000_000, InitialHeadroom = 0.3 });
        var replicas = Decide(policy, time, 1000, 1).Desired;
        Assert.Equal(13, replicas);
        var ticks = 0;
        while (replicas == 13 && ticks++ < 100)
        {
            replicas = Decide(policy, time, 850, replicas).Desired;
        }

        Assert.Equal(12, replicas);

        // 935/s × 1.3 needs 13 replicas, but right after the step down the headroom is 25%: 12 do.
        for (var i = 0; i < 11; i++)
        {
            Assert.Equal(12, Decide(policy, time, 935, replicas).Desired);
        }

        // Once the 180 s window since the step down has passed, the full headroom applies again.
        Assert.Equal(13, Decide(policy, time, 935, replicas).Desired);
    }

    [Fact]
    public void Surge_OutsideThePredictionInterval_IsExtrapolatedOverTheLeadTime()
    {
        var (policy, time) = Create(new ShoalPolicyOptions());
        var replicas = 1;
        for (var i = 0; i < 4 * 120; i++)
        {
            replicas = Decide(policy, time, 300, replicas).Desired;
        }

        var decision = Decide(policy, time, 900, replicas);

        Assert.Equal(ScalingReason.ScaleUpSurge, decision.Reason);
        Assert.True(decision.Forecast > 900, $"forecast {decision.Forecast:F0}");
        Assert.True(decision.Desired >= 10, $"desired {decision.Desired}");
    }

    [Fact]
    public void Decision_IsClampedToMinAndMax()
    {
        var (policy, time) = Create(new ShoalPolicyOptions { MinReplicas = 2, MaxReplicas = 5 });

        Assert.Equal(2, Decide(policy, time, 0, 2).Desired);
        Assert.Equal(5, Decide(policy, time, 100_000, 2).Desired);
    }

    [Fact]
    public void EveryDecision_IsLoggedWithItsReason()
    {
        var logger = new ListLogger();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var policy = new ShoalScalingPolicy(new ShoalPolicyOptions(), new FixedCapacityModel(100), logger: logger);

        var up = Decide(policy, time, 1000, 1);
        Decide(policy, time, 1000, up.Desired);

        Assert.Equal(ScalingReason.ScaleUpCurrentLoad, up.Reason);
        Assert.Equal(2, logger.Entries.Count);
        Assert.Equal(LogLevel.Information, logger.Entries[0].Level);
        Assert.Contains("ScaleUpCurrentLoad", logger.Entries[0].Message, StringComparison.Ordinal);
        Assert.Contains("capacity 100.0", logger.Entries[0].Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Debug, logger.Entries[1].Level);
    }

    [Fact]
    public void InvalidOptions_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new ShoalScalingPolicy(new ShoalPolicyOptions { MinReplicas = 3, MaxReplicas = 2 }, new FixedCapacityModel(1)));
        Assert.Throws<ArgumentException>(() => new ShoalScalingPolicy(new ShoalPolicyOptions { HeadroomQuantile = 0 }, new FixedCapacityModel(1)));
    }

    private static (ShoalScalingPolicy Policy, FakeTimeProvider Time) Create(ShoalPolicyOptions options) =>
        (new ShoalScalingPolicy(options, new FixedCapacityModel(100)), new FakeTimeProvider(DateTimeOffset.UnixEpoch));

    private static ScalingDecision Decide(ShoalScalingPolicy policy, FakeTimeProvider time, double load, int replicas)
    {
        time.Advance(Tick);
        return policy.Decide(new ScalingInput(time.GetUtcNow(), load, replicas, replicas));
    }
}
