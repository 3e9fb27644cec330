using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Policy;

namespace Shoal.Autoscaling.Tests.Policy;

public sealed class HpaScalingPolicyTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch;

    [Fact]
    public void WithinTheTenPercentTolerance_KeepsTheReplicaCount()
    {
        var hpa = Create(0.5);

        // Utilisation 0.54 against a 0.5 target: ratio 1.08, within the tolerance.
        var decision = hpa.Decide(new ScalingInput(Start, 4 * 54, 4, 4));

        Assert.Equal(4, decision.Desired);
        Assert.Equal(ScalingReason.Hold, decision.Reason);
    }

    [Fact]
    public void OutsideTheTolerance_DesiredIsCeilOfCurrentTimesUtilisationOverTarget()
    {
        var hpa = Create(0.6);

        // 5 ready replicas at 90% utilisation, target 60%: ceil(5 × 0.9 / 0.6) = ceil(7.5) = 8.
        var decision = hpa.Decide(new ScalingInput(Start, 5 * 90, 5, 5));

        Assert.Equal(8, decision.Recommended);
        Assert.Equal(8, decision.Desired);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(3, 7)]
    [InlineData(10, 20)]
    public void ScaleUp_IsLimitedToTheLargerOfDoublingAndFourPodsPerPeriod(int current, int expected)
    {
        var hpa = Create(0.5);

        var decision = hpa.Decide(new ScalingInput(Start, 100 * 100, current, current));

        Assert.Equal(expected, decision.Desired);
    }

    [Fact]
    public void ScaleDown_WaitsForTheHighestRecommendationOfTheLast300Seconds()
    {
        var hpa = Create(0.5);
        var t = Start;
        Assert.Equal(10, hpa.Decide(new ScalingInput(t, 500, 10, 10)).Desired);
        var replicas = 10;
        var firstDown = TimeSpan.Zero;
        for (var i = 1; i <= 40 && firstDown == TimeSpan.Zero; i++)
        {
            t += TimeSpan.FromSeconds(15);
            var decision = hpa.Decide(new ScalingInput(t, 100, replicas, replicas));
            if (decision.Desired < replicas)
            {
                firstDown = t - Start;
                Assert.Equal(2, decision.Desired);
            }
        }

        // The recommendation of 10 at t = 0 leaves the window after 300 s.
        Assert.Equal(TimeSpan.FromSeconds(300), firstDown);
    }

    [Fact]
    public void NotReadyReplicas_CountAsIdleWhenScalingUp()
    {
        var hpa = Create(0.5);

        // 2 ready at 100% (ratio 2) would ask for 4; with 2 more still starting at 0% the ratio is
        // 200 / (4 × 100) / 0.5 = 1.0: no change.
        var decision = hpa.Decide(new ScalingInput(Start, 200, 4, 2));

        Assert.Equal(4, decision.Desired);
    }

    [Fact]
    public void NotReadyReplicas_StillBelowTarget_ScaleUpCountsThem()
    {
        var hpa = Create(0.5);

        // 2 ready at 200% with 2 starting: ratio over all four = 400 / 400 / 0.5 = 2 → ceil(2 × 4) = 8.
        var decision = hpa.Decide(new ScalingInput(Start, 400, 4, 2));

        Assert.Equal(8, decision.Desired);
    }

    [Fact]
    public void BetweenSyncPeriods_NothingChanges()
    {
        var hpa = Create(0.5);
        Assert.Equal(4, hpa.Decide(new ScalingInput(Start, 200, 2, 2)).Desired);

        var early = hpa.Decide(new ScalingInput(Start + TimeSpan.FromSeconds(10), 1000, 4, 4));
        var onTime = hpa.Decide(new ScalingInput(Start + TimeSpan.FromSeconds(15), 1000, 4, 4));

        Assert.Equal(4, early.Desired);
        Assert.Equal(8, onTime.Desired);
    }

    [Fact]
    public void NoReadyReplica_HasNoMetricAndKeepsTheCount()
    {
        var hpa = Create(0.5);

        var decision = hpa.Decide(new ScalingInput(Start, 1000, 3, 0));

        Assert.Equal(3, decision.Desired);
        Assert.Equal(ScalingReason.NoMetrics, decision.Reason);
    }

    [Fact]
    public void Name_ShowsTheTarget()
    {
        Assert.Equal("hpa-70%", Create(0.7).Name);
    }

    private static HpaScalingPolicy Create(double target) =>
        new(new HpaOptions { TargetUtilisation = target }, new FixedCapacityModel(100));
}
