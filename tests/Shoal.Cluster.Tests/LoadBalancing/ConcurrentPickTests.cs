using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Cluster.Tests.Fakes;
using Shoal.Connections;
using static Shoal.Cluster.Tests.Fakes.TestInstances;

namespace Shoal.Cluster.Tests.LoadBalancing;

public sealed class ConcurrentPickTests
{
    [Theory]
    [MemberData(nameof(LoadBalancerContractTests.AllPolicies), MemberType = typeof(LoadBalancerContractTests))]
    public async Task PicksOnManyThreads_WhileConnectionsFlap_AlwaysReturnAnEndpointThatWasInASnapshot(string policy)
    {
        await using var rig = new BalancerRig(policy, random: Random.Shared);
        var instances = Enumerable.Range(0, 20).Select(i => Instance(7000 + (10 * i))).ToArray();
        rig.Apply(instances);
        var known = rig.Directory.Snapshot.All.ToHashSet();
        using var stop = new CancellationTokenSource();

        var flapper = Task.Run(() =>
        {
            for (var i = 0; i < 2_000 && !stop.IsCancellationRequested; i++)
            {
                var connection = rig.Connection(7000 + (10 * (i % 19)));
                connection.SetState(i % 2 == 0 ? ConnectionState.TransientFailure : ConnectionState.Ready);
            }
        });
        var pickers = Enumerable.Range(0, 3).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var headers = BalancerRig.KeyHeader($"k{i}");
                var result = rig.Picker.Pick(new PickContext("/hello.Greeter/SayHello", headers));
                if (result.Type != PickResultType.Endpoint || !known.Contains(result.Endpoint!))
                {
                    return false;
                }
                result.Tracker!.Start();
                result.Tracker.Complete(TimeSpan.FromMilliseconds(1), true);
            }
            return true;
        })).ToArray();

        var ok = await Task.WhenAll(pickers).WithTimeout();
        await stop.CancelAsync();
        await flapper.WithTimeout();

        Assert.All(ok, Assert.True);
        Assert.All(known, e => Assert.Equal(0, e.InFlight));
    }
}
