using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Signals;

namespace Shoal.Autoscaling.Hosting.Tests;

public sealed class AutoscaleHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_PastCapacity_KeepsTheLatestOldestFirst()
    {
        var history = new AutoscaleHistory(capacity: 3);
        for (var i = 0; i < 5; i++)
        {
            history.Record(Tick(i));
        }

        Assert.Equal([2, 3, 4], history.Latest().Select(t => t.Decision.Desired));
        Assert.Equal([3, 4], history.Latest(max: 2).Select(t => t.Decision.Desired));
        Assert.Equal([2, 3, 4], history.Latest(max: 10).Select(t => t.Decision.Desired));
    }

    [Fact]
    public void Constructor_ZeroCapacity_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => new AutoscaleHistory(capacity: 0));

    internal static AutoscaleDecision Tick(int index)
    {
        var at = Start.AddSeconds(index);
        var decision = new ScalingDecision(at, "shoal", 10 * index, 12 * index, 0.1, 50, index, index + 1, index, ScalingReason.Hold) { Upper = 15 * index };
        return new AutoscaleDecision(decision, new ClusterLoad(at, index, 10 * index, 0, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5), 0, 0.1), "dry-run");
    }
}
