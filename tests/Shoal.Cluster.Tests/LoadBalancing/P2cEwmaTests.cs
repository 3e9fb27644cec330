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

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    public async Task NewInstanceWithASlowFirstCall_IsJudgedByItsSecond_NotStarvedForTheDecay(int warmupSeconds)
    {
        // The first call on a new instance pays for its connection and its server's JIT. Judged by that
        // answer alone (200 ms against the others' 1 ms), it would lose every comparison for tens of
        // seconds of decay and never get the second call that shows its real latency.
        await using var rig = new BalancerRig(LoadBalancerNames.P2cEwma, new LoadBalancingOptions { WarmupPeriod = TimeSpan.FromSeconds(warmupSeconds) });
        rig.Apply(Instance(7000), Instance(7010));
        rig.Simulate(1_000, 16, _ => TimeSpan.FromMilliseconds(1));
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));

        var newcomerCalls = 0;
        var counts = rig.Simulate(6_000, 16, port => TimeSpan.FromMilliseconds(port != 7020 ? 1 : ++newcomerCalls == 1 ? 200 : 1));

        // About half a second of calls on fake time: a share of them reaches the newcomer.
        Assert.True(counts.GetValueOrDefault(7020) > 60, $"the new instance got {counts.GetValueOrDefault(7020)} of 6000 calls");
    }
}
