using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Cluster.Tests.Fakes;
using static Shoal.Cluster.Tests.Fakes.TestInstances;

namespace Shoal.Cluster.Tests.LoadBalancing;

public sealed class P2cEwmaTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(24)]
    [InlineData(64)]
    public async Task InstanceTenTimesSlower_GetsUnderOnePercent_SoTheP99IsTheHealthyOnes(int concurrency)
    {
        await using var rig = new BalancerRig(LoadBalancerNames.P2cEwma);
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));

        const int calls = 50_000;
        var counts = rig.Simulate(calls, concurrency, port => TimeSpan.FromMilliseconds(port == 7010 ? 50 : 5));

        Assert.True(counts.GetValueOrDefault(7010) < calls / 100, $"slow instance got {counts.GetValueOrDefault(7010)} of {calls}");
    }

    [Fact]
    public async Task SlowInstanceRecovers_TrafficComesBack()
    {
        await using var rig = new BalancerRig(LoadBalancerNames.P2cEwma);
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));
        var slow = true;
        rig.Simulate(20_000, 16, port => TimeSpan.FromMilliseconds(port == 7010 && slow ? 100 : 5));

        slow = false;
        rig.Time.Advance(TimeSpan.FromSeconds(30));
        var counts = rig.Simulate(30_000, 16, _ => TimeSpan.FromMilliseconds(5));

        Assert.True(counts.GetValueOrDefault(7010) > 30_000 / 5, $"recovered instance got {counts.GetValueOrDefault(7010)} of 30000");
    }

    [Fact]
    public async Task NewInstanceWithoutSamples_IsNotFloodedBeforeItsFirstAnswer()
    {
        await using var rig = new BalancerRig(LoadBalancerNames.P2cEwma);
        rig.Apply(Instance(7000), Instance(7010));
        rig.Simulate(1_000, 8, _ => TimeSpan.FromMilliseconds(5));
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));

        // Calls start but none completes: the new instance takes one, then costs the penalty.
        var counts = new Dictionary<int, int>();
        for (var i = 0; i < 200; i++)
        {
            var result = rig.Picker.Pick(new PickContext("/m"));
            result.Tracker!.Start();
            counts[result.Endpoint!.Address.Port] = counts.GetValueOrDefault(result.Endpoint.Address.Port) + 1;
        }

        Assert.Equal(1, counts.GetValueOrDefault(7020));
    }
}
