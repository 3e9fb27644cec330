using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Cluster.Tests.Fakes;
using static Shoal.Cluster.Tests.Fakes.TestInstances;

namespace Shoal.Cluster.Tests.LoadBalancing;

public sealed class RoundRobinTests
{
    [Fact]
    public async Task EqualWeights_ConsecutivePicks_CycleThroughEveryEndpoint()
    {
        await using var rig = new BalancerRig(LoadBalancerNames.RoundRobin);
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));

        var ports = Enumerable.Range(0, 9).Select(_ => rig.Picker.Pick(new PickContext("/m")).Endpoint!.Address.Port).ToArray();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(3, ports.Skip(i * 3).Take(3).Distinct().Count());
        }
    }

    [Fact]
    public async Task Weights5To1To1_EveryCycleOfSeven_HasExactCountsAndNoLongBurst()
    {
        await using var rig = new BalancerRig(LoadBalancerNames.RoundRobin);
        rig.Apply(Instance(7000, weight: 500), Instance(7010, weight: 100), Instance(7020, weight: 100));

        var ports = Enumerable.Range(0, 70).Select(_ => rig.Picker.Pick(new PickContext("/m")).Endpoint!.Address.Port).ToArray();

        // The cycle is 7 long; find where it starts by the position counter's offset, then check each cycle.
        for (var start = 0; start + 7 <= ports.Length; start += 7)
        {
            var window = ports.Skip(start).Take(7).ToArray();
            Assert.Equal(5, window.Count(p => p == 7000));
            Assert.Equal(1, window.Count(p => p == 7010));
            Assert.Equal(1, window.Count(p => p == 7020));
        }
        var longestRun = 0;
        var run = 0;
        for (var i = 0; i < ports.Length; i++)
        {
            run = i > 0 && ports[i] == ports[i - 1] ? run + 1 : 1;
            longestRun = Math.Max(longestRun, run);
        }
        // Plain weighted round robin would send 5 in a row inside every cycle.
        Assert.True(longestRun <= 5, $"longest burst {longestRun}");
    }

    [Fact]
    public void Schedule_LargeUnevenCluster_IsBoundedAndKeepsProportions()
    {
        var endpoints = WeightedEndpointsTests.Endpoints(10_000, i => 1 + (i % 7));
        var schedule = Shoal.Client.Cluster.LoadBalancing.Internal.RoundRobinPicker.BuildSchedule(endpoints);

        Assert.True(schedule.Length <= 16 * 10_000 + 10_000, $"schedule of {schedule.Length}");
        var heavy = schedule.Count(i => i % 7 == 6);
        var light = schedule.Count(i => i % 7 == 0);
        Assert.InRange(heavy / (double)light, 6.0, 8.0);
    }
}
