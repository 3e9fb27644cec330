using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Simulation;

namespace Shoal.Autoscaling.Tests.Policy;

/// <summary>
/// The growth bound in <see cref="ShoalScalingPolicy"/>: steps without a season (match starts), which the seasonal
/// forecast cannot see coming, are covered by the load now times the calibrated growth over a lead time.
/// </summary>
public sealed class GrowthBoundPolicyTests
{
    private static readonly SimulationOptions Cluster = new() { CapacityPerInstance = 100, Startup = TimeSpan.FromSeconds(60) };

    [Fact]
    public void UnseasonalSteps_WithTheGrowthBound_AreLateLessThanWithout()
    {
        var trace = ShoalScalingPolicyTests.PerMinute("steps", 3 * 1440, Steps);

        var without = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, Cluster, new ShoalPolicyOptions { GrowthMemory = TimeSpan.Zero }), Cluster);
        var with = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, Cluster, new ShoalPolicyOptions()), Cluster);

        // Measured: 24,801 late against 43,645 for 0.1% more replica-minutes. The bound moves replicas to where
        // the steps start rather than buying more: late at most three quarters as much, at most 1% more cost.
        Assert.True(with.UnservedRequests < without.UnservedRequests * 0.75, $"{with.UnservedRequests:F0} late with the bound vs {without.UnservedRequests:F0} without");
        Assert.True(with.ReplicaMinutes < without.ReplicaMinutes * 1.01, $"{with.ReplicaMinutes:F0} replica-minutes with the bound vs {without.ReplicaMinutes:F0} without");
    }

    /// <summary>600/s, stepping up 30% within a minute at irregular times (no period), holding 40 minutes, then back.</summary>
    private static double Steps(int minute)
    {
        var start = 0;
        for (var k = 0; start <= minute; k++)
        {
            var since = minute - start;
            if (since < 40)
            {
                return 600 * 1.3 * (1 + (0.02 * Math.Sin(minute * 12.9898)));
            }

            start += 150 + (k * 47 % 110);
        }

        return 600 * (1 + (0.02 * Math.Sin(minute * 12.9898)));
    }
}
