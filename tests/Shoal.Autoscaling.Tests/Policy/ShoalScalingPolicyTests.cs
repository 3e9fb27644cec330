using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Simulation;
using Shoal.Autoscaling.Tests.Forecasting;
using Shoal.Autoscaling.Tests.TestSupport;

namespace Shoal.Autoscaling.Tests.Policy;

/// <summary>
/// Known answers of <see cref="ShoalScalingPolicy"/>: 100 requests/s per replica, 15 s control ticks, 60 s
/// forecast windows and a 60 s lead time (a replica asked for at the end of a tick serves from five ticks later).
/// </summary>
public sealed class ShoalScalingPolicyTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(15);
    private static readonly SimulationOptions Cluster = new() { CapacityPerInstance = 100, Startup = TimeSpan.FromSeconds(60) };

    [Fact]
    public void HourlyBurst_AfterTwoPeriods_IsProvisionedBeforeTheBurst()
    {
        // 300/s with a 6-minute burst to 750/s at the top of every hour.
        var trace = PerMinute("hourly", 6 * 60, SeasonalEnsembleForecasterTests.HourlyBurst);

        var report = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, Cluster), Cluster);

        // From the third burst on, the replicas for it are ready from its very first tick: they were asked
        // for at least a lead time before the load arrived.
        for (var hour = 2; hour < 6; hour++)
        {
            var first = report.Timeline[hour * 60];
            Assert.True(first.Ready * 100 >= first.Load, $"hour {hour}: {first.Ready} ready for {first.Load:F0}/s");
        }
    }

    [Fact]
    public void LevelShift_IsFollowedWithinFiveControlIntervals()
    {
        // 400/s for three hours, then 1000/s for good.
        var trace = PerMinute("shift", 4 * 60, m => (m < 180 ? 400 : 1000) * SeasonalEnsembleForecasterTests.Noise(m));

        var report = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, Cluster), Cluster);

        // The shift cannot be seen before its first tick, and replicas asked for then serve five ticks
        // later: five ticks (1.25 minutes) short, none after.
        Assert.InRange(report.OverloadedMinutes, 0, 1.25);
        Assert.All(report.Timeline.Skip(182), p => Assert.True(p.Ready * 100 >= p.Load, $"{p.Offset}: {p.Ready} ready for {p.Load:F0}/s"));
    }

    [Fact]
    public void SingleSpike_DoesNotRaiseTheNextDaysProvisioning()
    {
        const int spike = 1440 + 720;
        var trace = PerMinute("spike", 3 * 1440, m => (m == spike ? 10 : 1) * (500 + (300 * Math.Sin(2 * Math.PI * m / 1440))) * SeasonalEnsembleForecasterTests.Noise(m));

        var report = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, Cluster), Cluster);

        // Around noon of day three, what was asked for is what noon of day one got, give or take a replica.
        for (var m = (2 * 1440) + 715; m <= (2 * 1440) + 725; m++)
        {
            Assert.InRange(report.Timeline[m].Desired, report.Timeline[m - (2 * 1440)].Desired - 1, report.Timeline[m - (2 * 1440)].Desired + 1);
        }
    }

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

        // After 90 minutes of a steady climb the forecast runs ahead of the load, and the replicas asked
        // for now cover the load they will serve, five ticks on.
        Assert.NotNull(last);
        Assert.True(last.Forecast > last.CurrentLoad, $"forecast {last.Forecast:F0} vs load {last.CurrentLoad:F0}");
        Assert.True(last.Upper > last.Forecast, $"upper {last.Upper:F0} vs forecast {last.Forecast:F0}");
        var loadWhenReady = 100 + (2.5 * ((4 * 90) + 5));
        Assert.True(replicas * 100 >= loadWhenReady, $"{replicas} replicas for {loadWhenReady:F0}/s");
    }

    [Fact]
    public void MoreNines_CostMoreAndAreLateLess()
    {
        // Seeded random noise: a sine of an irrational step (the earlier noise) repeats closely enough at a few
        // lags for the detected periods to forecast it, and then no knob is ever late.
        var random = new Random(78233);
        var noise = Enumerable.Range(0, 2 * 1440).Select(_ => 1 + (0.15 * ((2 * random.NextDouble()) - 1))).ToArray();
        var trace = PerMinute("noisy", 2 * 1440, m => (600 + (400 * Math.Sin(2 * Math.PI * m / 1440))) * noise[m]);

        var low = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, Cluster, new ShoalPolicyOptions { Nines = 0.7 }), Cluster);
        var high = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, Cluster, new ShoalPolicyOptions { Nines = 3 }), Cluster);

        Assert.True(high.ReplicaMinutes > low.ReplicaMinutes, $"{high.ReplicaMinutes:F0} vs {low.ReplicaMinutes:F0} replica-minutes");
        Assert.True(high.UnservedRequests < low.UnservedRequests / 4, $"{high.UnservedRequests:F0} vs {low.UnservedRequests:F0} late");
    }

    [Theory]
    [InlineData(1.5, 0.30)]
    [InlineData(3, 0.30)]
    [InlineData(6, 0.60)]
    [InlineData(12, 1.20)]
    public void BeforeCalibration_TheMarginFollowsTheKnob(double nines, double margin)
    {
        // Ten minutes of a flat 1,000/s: far fewer errors than calibrating takes, so the upper end is the forecast
        // times the uncalibrated margin. A dearer knob must buy more already (before, 30% at every knob); a cheaper
        // one keeps the default's margin, as nothing shows yet that a tighter one would do.
        var (policy, time) = Create(new ShoalPolicyOptions { Nines = nines });
        ScalingDecision last = default!;
        for (var tick = 0; tick < 40; tick++)
        {
            last = Decide(policy, time, 1000, 20);
        }

        Assert.Equal(1000, last.Forecast, 1);
        Assert.Equal(1000 * (1 + margin), last.Upper!.Value, 1);
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
        Assert.Throws<ArgumentException>(() => new ShoalScalingPolicy(new ShoalPolicyOptions { Nines = 0 }, new FixedCapacityModel(1)));
        Assert.Throws<ArgumentException>(() => new ShoalScalingPolicy(new ShoalPolicyOptions { Nines = -1 }, new FixedCapacityModel(1)));
    }

    internal static LoadTrace PerMinute(string name, int minutes, Func<int, double> ratePerSecond) =>
        new(name, TimeSpan.FromMinutes(1), [.. Enumerable.Range(0, minutes).Select(m => ratePerSecond(m) * 60)]);

    private static (ShoalScalingPolicy Policy, FakeTimeProvider Time) Create(ShoalPolicyOptions options) =>
        (new ShoalScalingPolicy(options, new FixedCapacityModel(100)), new FakeTimeProvider(DateTimeOffset.UnixEpoch));

    private static ScalingDecision Decide(ShoalScalingPolicy policy, FakeTimeProvider time, double load, int replicas)
    {
        time.Advance(Tick);
        return policy.Decide(new ScalingInput(time.GetUtcNow(), load, replicas, replicas));
    }
}
