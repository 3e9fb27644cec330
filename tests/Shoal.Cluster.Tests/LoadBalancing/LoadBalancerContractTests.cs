using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Cluster.Tests.Fakes;
using Shoal.Connections;
using static Shoal.Cluster.Tests.Fakes.TestInstances;

namespace Shoal.Cluster.Tests.LoadBalancing;

/// <summary>One table of behaviours every load-balancing policy must show (kitex runs one table across all its balancers).</summary>
public sealed class LoadBalancerContractTests
{
    public static TheoryData<string> AllPolicies => new(
        LoadBalancerNames.RoundRobin, LoadBalancerNames.Random, LoadBalancerNames.LeastRequest,
        LoadBalancerNames.P2cEwma, LoadBalancerNames.ConsistentHash);

    public static TheoryData<string> WarmingPolicies => new(
        LoadBalancerNames.RoundRobin, LoadBalancerNames.Random, LoadBalancerNames.LeastRequest, LoadBalancerNames.P2cEwma);

    public static TheoryData<string> LoadAwarePolicies => new(LoadBalancerNames.LeastRequest, LoadBalancerNames.P2cEwma);

    [Theory]
    [MemberData(nameof(AllPolicies))]
    public async Task Distribution_WeightedInstances_FollowsWeights(string policy)
    {
        await using var rig = new BalancerRig(policy);
        rig.Apply(Instance(7000, weight: 100), Instance(7010, weight: 200), Instance(7020, weight: 300));

        const int calls = 30_000;
        var counts = rig.Simulate(calls, concurrency: 30, _ => TimeSpan.FromMilliseconds(10), i => BalancerRig.KeyHeader($"user-{i}"));

        // A hash ring places keys by virtual nodes, so its shares vary more than a sampler's.
        var tolerance = policy == LoadBalancerNames.ConsistentHash ? 0.30 : 0.10;
        AssertShare(counts, 7000, 1 / 6.0, tolerance, calls);
        AssertShare(counts, 7010, 2 / 6.0, tolerance, calls);
        AssertShare(counts, 7020, 3 / 6.0, tolerance, calls);
    }

    [Theory]
    [MemberData(nameof(AllPolicies))]
    public async Task Pick_ConnectionInTransientFailure_NeverPicksIt(string policy)
    {
        await using var rig = new BalancerRig(policy);
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));

        rig.Connection(7010).SetState(ConnectionState.TransientFailure);

        var counts = rig.Pick(3_000, i => BalancerRig.KeyHeader($"k{i}"));
        Assert.False(counts.ContainsKey(7010));
        Assert.Equal(3_000, counts.Values.Sum());
    }

    [Theory]
    [MemberData(nameof(AllPolicies))]
    public async Task Pick_EjectedEndpoint_NeverPicksItUntilRestored(string policy)
    {
        await using var rig = new BalancerRig(policy);
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));

        rig.Endpoint(7020).Eject(rig.Time.GetUtcNow().AddSeconds(30));
        rig.Directory.Refresh();
        Assert.False(rig.Pick(3_000, i => BalancerRig.KeyHeader($"k{i}")).ContainsKey(7020));

        rig.Endpoint(7020).Restore();
        rig.Directory.Refresh();
        Assert.True(rig.Pick(3_000, i => BalancerRig.KeyHeader($"k{i}")).ContainsKey(7020));
    }

    [Theory]
    [MemberData(nameof(AllPolicies))]
    public async Task Pick_ExcludedEndpoints_PicksAnotherWhileOneIsLeft(string policy)
    {
        await using var rig = new BalancerRig(policy);
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));
        var excluded = new[] { rig.Endpoint(7000), rig.Endpoint(7010) };

        for (var i = 0; i < 200; i++)
        {
            var result = rig.Picker.Pick(new PickContext("/hello.Greeter/SayHello", BalancerRig.KeyHeader($"k{i}"), excluded));
            Assert.Equal(7020, result.Endpoint!.Address.Port);
        }
    }

    [Theory]
    [MemberData(nameof(LoadAwarePolicies))]
    public async Task SlowInstance_LoadAwarePolicy_MovesTrafficOffIt(string policy)
    {
        await using var rig = new BalancerRig(policy);
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));

        const int calls = 20_000;
        var counts = rig.Simulate(calls, concurrency: 24, port => TimeSpan.FromMilliseconds(port == 7010 ? 200 : 10));

        // An equal share would be a third; the slow instance must get far less.
        Assert.True(counts.GetValueOrDefault(7010) < calls * 0.10, $"slow instance got {counts.GetValueOrDefault(7010)} of {calls}");
    }

    [Theory]
    [MemberData(nameof(WarmingPolicies))]
    public async Task Warmup_NewInstance_RampsUpToItsFullShare(string policy)
    {
        await using var rig = new BalancerRig(policy, new LoadBalancingOptions { WarmupPeriod = TimeSpan.FromSeconds(60) });
        var longAgo = rig.Time.GetUtcNow().AddHours(-1);
        rig.Apply(Instance(7000, startTime: longAgo), Instance(7010, startTime: longAgo), Instance(7020, startTime: rig.Time.GetUtcNow()));

        double ShareOfNew()
        {
            var counts = rig.Simulate(6_000, concurrency: 6, _ => TimeSpan.FromMilliseconds(1));
            return counts.GetValueOrDefault(7020) / 6_000.0;
        }

        var atStart = ShareOfNew();
        rig.Time.Advance(TimeSpan.FromSeconds(30));
        var halfway = ShareOfNew();
        rig.Time.Advance(TimeSpan.FromSeconds(31));
        var warm = ShareOfNew();

        Assert.True(atStart < 0.12, $"at start the new instance got {atStart:P1}");
        Assert.True(halfway > atStart && halfway < warm, $"shares {atStart:P1} → {halfway:P1} → {warm:P1} do not ramp");
        Assert.InRange(warm, 0.28, 0.39);
    }

    [Theory]
    [MemberData(nameof(AllPolicies))]
    public async Task Zone_LocalZoneHealthy_OnlyLocalEndpointsPicked(string policy)
    {
        await using var rig = new BalancerRig(policy, zone: "a");
        rig.Apply(Instance(7000, zone: "a"), Instance(7010, zone: "a"), Instance(7020, zone: "b"), Instance(7030, zone: "b"));

        var counts = rig.Pick(2_000, i => BalancerRig.KeyHeader($"k{i}"));

        Assert.Equal(2_000, counts.GetValueOrDefault(7000) + counts.GetValueOrDefault(7010));
    }

    [Theory]
    [MemberData(nameof(AllPolicies))]
    public async Task Zone_LocalReadyShareLow_FallsBackToAllZones(string policy)
    {
        await using var rig = new BalancerRig(policy, zone: "a");
        rig.Apply(Instance(7000, zone: "a"), Instance(7010, zone: "a"), Instance(7020, zone: "a"), Instance(7030, zone: "b"), Instance(7040, zone: "b"));

        rig.Connection(7000).SetState(ConnectionState.TransientFailure);
        rig.Connection(7010).SetState(ConnectionState.TransientFailure);

        var counts = rig.Pick(3_000, i => BalancerRig.KeyHeader($"k{i}"));
        Assert.True(counts.GetValueOrDefault(7030) + counts.GetValueOrDefault(7040) > 1_000, "remote zone should take traffic once one local instance of three is left");
    }

    [Theory]
    [MemberData(nameof(AllPolicies))]
    public async Task Zone_LocalZoneOverloaded_SpillsToOtherZones(string policy)
    {
        await using var rig = new BalancerRig(policy, new LoadBalancingOptions { WarmupPeriod = TimeSpan.Zero, LocalZoneMaxInFlightPerEndpoint = 4 }, zone: "a");
        rig.Apply(Instance(7000, zone: "a"), Instance(7010, zone: "b"));
        var local = rig.Endpoint(7000);
        for (var i = 0; i < 5; i++)
        {
            local.Start();
        }

        var counts = rig.Pick(500, i => BalancerRig.KeyHeader($"k{i}"));

        Assert.True(counts.GetValueOrDefault(7010) > 0, "an overloaded local zone should spill over");
    }

    private static void AssertShare(Dictionary<int, int> counts, int port, double expected, double tolerance, int total)
    {
        var actual = counts.GetValueOrDefault(port) / (double)total;
        Assert.True(Math.Abs(actual - expected) <= expected * tolerance, $"port {port}: share {actual:P2}, expected {expected:P2} ± {tolerance:P0}");
    }
}
