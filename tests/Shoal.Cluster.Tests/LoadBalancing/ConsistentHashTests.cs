using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Cluster.Tests.Fakes;
using Shoal.Instances;
using static Shoal.Cluster.Tests.Fakes.TestInstances;

namespace Shoal.Cluster.Tests.LoadBalancing;

public sealed class ConsistentHashTests
{
    private const int Keys = 20_000;

    [Fact]
    public async Task SameKey_ManyPicks_AlwaysSameEndpoint()
    {
        await using var rig = new BalancerRig(LoadBalancerNames.ConsistentHash);
        rig.Apply(Enumerable.Range(0, 5).Select(i => Instance(7000 + (10 * i))).ToArray());

        var counts = rig.Pick(1_000, _ => BalancerRig.KeyHeader("user-42"));

        Assert.Single(counts);
    }

    [Fact]
    public async Task RemoveOneOfTen_KeysOfOthers_StayWhereTheyWere()
    {
        await using var rig = new BalancerRig(LoadBalancerNames.ConsistentHash);
        var instances = Enumerable.Range(0, 10).Select(i => Instance(7000 + (10 * i))).ToArray();
        rig.Apply(instances);
        var before = Placement(rig);

        rig.Apply(instances.Where(i => i.InstanceId != "i-7050").ToArray());
        var after = Placement(rig);

        var moved = Enumerable.Range(0, Keys).Count(k => before[k] != after[k]);
        var onRemoved = before.Count(p => p == 7050);
        // Only the removed instance's keys move, and they are about a tenth.
        Assert.Equal(onRemoved, moved);
        Assert.InRange(moved / (double)Keys, 0.05, 0.15);
    }

    [Fact]
    public async Task AddOneToTen_MovesAboutAnEleventhOfKeys_AllToTheNewInstance()
    {
        await using var rig = new BalancerRig(LoadBalancerNames.ConsistentHash);
        var instances = Enumerable.Range(0, 10).Select(i => Instance(7000 + (10 * i))).ToList();
        rig.Apply([.. instances]);
        var before = Placement(rig);

        instances.Add(Instance(7100));
        rig.Apply([.. instances]);
        var after = Placement(rig);

        var movedKeys = Enumerable.Range(0, Keys).Where(k => before[k] != after[k]).ToList();
        Assert.All(movedKeys, k => Assert.Equal(7100, after[k]));
        Assert.InRange(movedKeys.Count / (double)Keys, 0.04, 1.5 / 11);
    }

    [Fact]
    public async Task RestartedInstanceOnSameAddress_GetsItsKeysBack()
    {
        await using var rig = new BalancerRig(LoadBalancerNames.ConsistentHash);
        var instances = Enumerable.Range(0, 4).Select(i => Instance(7000 + (10 * i))).ToArray();
        rig.Apply(instances);
        var before = Placement(rig);

        rig.Apply(instances.Where(i => i.InstanceId != "i-7010").ToArray());
        rig.Apply([.. instances.Where(i => i.InstanceId != "i-7010"), Instance(7010, id: "i-7010-restarted")]);

        Assert.Equal(before, Placement(rig));
    }

    [Fact]
    public async Task NoHashHeader_SpreadsCallsAtRandom()
    {
        await using var rig = new BalancerRig(LoadBalancerNames.ConsistentHash);
        rig.Apply(Instance(7000), Instance(7010));

        var counts = rig.Pick(2_000);

        Assert.InRange(counts.GetValueOrDefault(7000), 800, 1_200);
    }

    private static int[] Placement(BalancerRig rig)
    {
        var placement = new int[Keys];
        for (var k = 0; k < Keys; k++)
        {
            var result = rig.Picker.Pick(new PickContext("/hello.Greeter/SayHello", BalancerRig.KeyHeader($"key-{k}")));
            placement[k] = result.Endpoint!.Address.Port;
        }
        return placement;
    }
}
