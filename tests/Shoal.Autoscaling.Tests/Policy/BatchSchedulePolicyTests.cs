using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Simulation;
using Shoal.Autoscaling.Tests.Forecasting;

namespace Shoal.Autoscaling.Tests.Policy;

/// <summary>
/// Known answers of <see cref="ShoalScalingPolicy"/> on a batch schedule of 97 minutes whose starts wander by up
/// to three minutes: once the schedule is learnt, most batch starts find their replicas ready even at the cheap end of the knob.
/// </summary>
public sealed class BatchSchedulePolicyTests
{
    private const int Period = 97;
    private static readonly SimulationOptions Cluster = new() { CapacityPerInstance = 100, Startup = TimeSpan.FromSeconds(60) };

    [Fact]
    public void JitteredSchedule_OnTheThirdDay_AtOneNine_ThreeBatchStartsInFourAreProvisionedBeforeTheyCome()
    {
        var (values, starts) = Batches.Generate(3 * 1440, Period, jitter: 3, seed: 11);
        var trace = ShoalScalingPolicyTests.PerMinute("batches", values.Length, m => values[m]);

        // One nine: the cheap end of the knob, where a point forecast that places each start at one minute is late
        // at every start that comes earlier than the median of the past ones (measured: all 15 without the
        // envelope). The knob's risk is per tick, and a start is the hardest tick, so the bound is three in four.
        var report = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, Cluster, new ShoalPolicyOptions { Nines = 1 }), Cluster);

        var third = starts.Where(s => s >= 2 * 1440).ToArray();
        var late = third.Where(s => report.Timeline[s].Ready * Cluster.CapacityPerInstance < report.Timeline[s].Load).ToArray();
        Assert.True(late.Length * 4 <= third.Length, $"{late.Length} of {third.Length} starts late: {string.Join(", ", late)}");
    }
}
