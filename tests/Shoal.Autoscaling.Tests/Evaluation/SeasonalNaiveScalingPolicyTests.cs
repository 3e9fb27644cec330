using Microsoft.Extensions.Time.Testing;
using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Policy;

namespace Shoal.Autoscaling.Tests.Evaluation;

public sealed class SeasonalNaiveScalingPolicyTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(15);

    [Fact]
    public void RiseSeenYesterday_IsProvisionedBeforeItComesToday()
    {
        var policy = new SeasonalNaiveScalingPolicy(new SeasonalNaiveOptions { TargetUtilisation = 0.5 }, new FixedCapacityModel(100));
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var replicas = 2;
        // 100/s all day except 1000/s from 12:00 to 12:30; on day two, the decision at 11:59 (its replicas serve from 12:00).
        var ticksPerDay = 4 * 1440;
        ScalingDecision? before = null;
        for (var i = 0; i < ticksPerDay + (4 * 719); i++)
        {
            var minute = (i / 4) % 1440;
            var load = minute is >= 720 and < 750 ? 1000 : 100;
            time.Advance(Tick);
            before = policy.Decide(new(time.GetUtcNow(), load, replicas, replicas));
            replicas = before.Desired;
        }

        // Replicas asked for now serve from 12:00: yesterday's 1000/s at 50% needs 20.
        Assert.NotNull(before);
        Assert.Equal(100, before.CurrentLoad);
        Assert.Equal(20, before.Desired);
        Assert.Equal(ScalingReason.ScaleUpForecast, before.Reason);
    }

    [Fact]
    public void FirstDay_IsTheHpaAlone()
    {
        var options = new SeasonalNaiveOptions { TargetUtilisation = 0.7 };
        var naive = new SeasonalNaiveScalingPolicy(options, new FixedCapacityModel(100));
        var hpa = new HpaScalingPolicy(new HpaOptions { TargetUtilisation = 0.7 }, new FixedCapacityModel(100));
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var random = new Random(3);
        var (a, b) = (5, 5);
        for (var i = 0; i < 4 * 600; i++)
        {
            var load = 300 + (200 * random.NextDouble());
            time.Advance(Tick);
            a = naive.Decide(new(time.GetUtcNow(), load, a, a)).Desired;
            b = hpa.Decide(new(time.GetUtcNow(), load, b, b)).Desired;
            Assert.Equal(b, a);
        }
    }
}
