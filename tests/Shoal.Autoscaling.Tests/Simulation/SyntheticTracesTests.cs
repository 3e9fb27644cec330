using Shoal.Autoscaling.Simulation;

namespace Shoal.Autoscaling.Tests.Simulation;

public sealed class SyntheticTracesTests
{
    [Theory]
    [InlineData("diurnal", 7 * 1440)]
    [InlineData("flash-crowd", 3 * 1440)]
    [InlineData("ramp", 2 * 1440)]
    [InlineData("sawtooth", 2 * 1440)]
    public void EveryTrace_IsPerMinuteAndTheSameForTheSameSeed(string name, int minutes)
    {
        var first = SyntheticTraces.Create(name, seed: 9);
        var second = SyntheticTraces.Create(name, seed: 9);
        var other = SyntheticTraces.Create(name, seed: 10);

        Assert.Equal(TimeSpan.FromMinutes(1), first.Interval);
        Assert.Equal(minutes, first.Counts.Count);
        Assert.Equal(first.Counts, second.Counts);
        Assert.NotEqual(first.Counts, other.Counts);
    }

    [Fact]
    public void FlashCrowd_JumpsFiveToTenfoldWithinAFewMinutes()
    {
        var counts = SyntheticTraces.Create("flash-crowd").Counts;
        var jumps = 0;
        for (var m = 10; m < counts.Count; m++)
        {
            if (counts[m] > 4 * counts[m - 5])
            {
                jumps++;
                m += 60;
            }
        }

        Assert.Equal(5, jumps);
    }

    [Fact]
    public void UnknownName_Throws()
    {
        Assert.Throws<ArgumentException>(() => SyntheticTraces.Create("square"));
    }
}
