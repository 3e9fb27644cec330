using Microsoft.Extensions.Time.Testing;
using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Policy;

namespace Shoal.Autoscaling.Tests.Policy;

/// <summary>The surge, spike and plunge rules of <see cref="ShoalScalingPolicy"/> (capacity 100/s per replica, 15 s ticks, 60 s windows).</summary>
public sealed class ShoalScalingPolicySurgeTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(15);

    [Fact]
    public void SurgeThatKeepsRising_IsExtrapolatedUntilTheRiseStops()
    {
        var on = RiseForecasts(new ShoalPolicyOptions());
        var off = RiseForecasts(new ShoalPolicyOptions { SurgeContinuation = false });

        // The climb goes 300 -> 900 -> 1500 -> 2100 per minute. In its third minute the forecaster
        // still lags, but the policy goes on extrapolating +600 per minute over the lead time.
        Assert.True(on[2] >= 2100 + 600, $"forecast {on[2]:F0} in the third minute of the climb");
        Assert.True(off[2] < on[2], $"without continuation {off[2]:F0}, with {on[2]:F0}");
    }

    [Fact]
    public void OneMinuteSpike_ReplicasStillStartingAreCancelledWhenItIsOver()
    {
        var (cancelled, spikeDesired) = AfterSpike(new ShoalPolicyOptions());
        var (kept, _) = AfterSpike(new ShoalPolicyOptions { CancelSpikeReplicas = false });

        // The forecaster has seen one minute at 3000/s, so some replicas stay for a while; but most of
        // what the extrapolated spike asked for, still starting, goes at once.
        Assert.True(spikeDesired >= 30, $"the spike asked for {spikeDesired}");
        Assert.True(cancelled < spikeDesired / 2, $"{cancelled} of {spikeDesired} kept");
        Assert.Equal(spikeDesired, kept);
    }

    [Fact]
    public void SuddenCollapse_IsHeldThroughForOneStabilisationWindowBeforeScalingIn()
    {
        var held = TicksUntilScaleIn(new ShoalPolicyOptions());
        var plain = TicksUntilScaleIn(new ShoalPolicyOptions { HoldThroughPlunges = false });

        // Without the hold the count drops once the 180 s window (12 ticks) has passed (and the forecast
        // has come down); with it, the collapse counts only after one more window.
        Assert.InRange(plain, 12, 16);
        Assert.InRange(held, 24, 28);
    }

    [Fact]
    public void CollapseThatRecoversWithinTheHold_KeepsEveryReplicaAndIsNoSurge()
    {
        var (policy, time) = Create(new ShoalPolicyOptions());
        var replicas = WarmUp(policy, time, 1000, 1);
        var high = replicas;
        for (var i = 0; i < 8; i++)
        {
            replicas = Decide(policy, time, 20, replicas, replicas).Desired;
        }

        for (var i = 0; i < 4; i++)
        {
            replicas = Decide(policy, time, 1000, replicas, replicas).Desired;
        }

        Assert.Equal(high, replicas);
    }

    private static double[] RiseForecasts(ShoalPolicyOptions options)
    {
        var (policy, time) = Create(options);
        var replicas = WarmUp(policy, time, 300, 1);
        var forecasts = new double[3];
        for (var minute = 0; minute < 3; minute++)
        {
            var load = 900 + (600 * minute);
            for (var tick = 0; tick < 4; tick++)
            {
                var decision = Decide(policy, time, load, replicas, replicas);
                replicas = Math.Max(replicas, decision.Desired);
                if (tick == 0)
                {
                    forecasts[minute] = decision.Forecast;
                }
            }
        }

        return forecasts;
    }

    private static (int AfterSpike, int DuringSpike) AfterSpike(ShoalPolicyOptions options)
    {
        var (policy, time) = Create(options);
        var ready = WarmUp(policy, time, 300, 1);
        var current = ready;
        for (var tick = 0; tick < 4; tick++)
        {
            current = Decide(policy, time, 3000, current, ready).Desired;
        }

        // The spike is over within the minute; the replicas it asked for are still starting.
        var after = Decide(policy, time, 300, current, ready).Desired;
        return (after, current);
    }

    private static int TicksUntilScaleIn(ShoalPolicyOptions options)
    {
        var (policy, time) = Create(options);
        var replicas = WarmUp(policy, time, 1000, 1);
        var high = replicas;
        for (var i = 1; i <= 100; i++)
        {
            replicas = Decide(policy, time, 100, replicas, replicas).Desired;
            if (replicas < high)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    /// <summary>Two hours of a flat load, so the error statistics are warm; returns the replicas then.</summary>
    private static int WarmUp(ShoalScalingPolicy policy, FakeTimeProvider time, double load, int replicas)
    {
        for (var i = 0; i < 4 * 120; i++)
        {
            replicas = Decide(policy, time, load, replicas, replicas).Desired;
        }

        return replicas;
    }

    private static (ShoalScalingPolicy Policy, FakeTimeProvider Time) Create(ShoalPolicyOptions options) =>
        (new ShoalScalingPolicy(options, new FixedCapacityModel(100)), new FakeTimeProvider(DateTimeOffset.UnixEpoch));

    private static ScalingDecision Decide(ShoalScalingPolicy policy, FakeTimeProvider time, double load, int replicas, int ready)
    {
        time.Advance(Tick);
        return policy.Decide(new ScalingInput(time.GetUtcNow(), load, replicas, ready));
    }
}
