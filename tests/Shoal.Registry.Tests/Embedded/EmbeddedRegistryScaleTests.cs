using System.Diagnostics;
using Grpc.Net.Client;
using Shoal.Client.Discovery.Embedded;
using Shoal.Discovery;
using Shoal.Registry.Tests.Support;
using Xunit.Abstractions;

namespace Shoal.Registry.Tests.Embedded;

/// <summary>
/// The embedded registry holding 10,000 instances, watched over gRPC: each kind of change reaches
/// the watcher, and the set it sees is exactly right. Correctness only; the latency is measured by
/// the registry-watch benchmark (docs/registry.md).
/// </summary>
public sealed class EmbeddedRegistryScaleTests(ITestOutputHelper output)
{
    private const string Service = "hello.Greeter";
    private const int Count = 10_000;
    // Generous: the test proves the change arrives and the set is right, on a machine other test runs load.
    private static readonly TimeSpan ChangeBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task TenThousandInstances_RegisterDeregisterAndExpiry_WatcherSeesEachWithExactlyTheRightSet()
    {
        await using var host = await RegistryHost.StartAsync(startupGrace: TimeSpan.Zero);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var leases = new long[Count];
        for (var i = 0; i < Count; i++)
        {
            var id = $"bulk-{i:D5}";
            (leases[i], _) = host.Store.Register(TestInstances.Create(id), TimeSpan.FromHours(1));
            expected.Add(id);
        }
        using var channel = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        await using var client = new EmbeddedRegistryClient(channel.CreateCallInvoker());
        await using var probe = WatchProbe.Start(client, Service);
        var previous = await probe.WaitForAsync(s => s.Instances.Length == Count, TimeSpan.FromSeconds(30), "the 10,000 instances");
        AssertExactly(expected, previous);

        // A registration through the client: a real Register round trip.
        var watch = Stopwatch.StartNew();
        await using (var added = await client.RegisterAsync(TestInstances.Create("added"), TimeSpan.FromMinutes(1)))
        {
            expected.Add("added");
            previous = await SeeChangeAsync(probe, previous, expected, s => s.Has("added"), "added registered", watch);
            watch.Restart();
        }
        expected.Remove("added");
        previous = await SeeChangeAsync(probe, previous, expected, s => !s.Has("added"), "added deregistered", watch);

        watch.Restart();
        Assert.True(host.Store.Deregister(leases[1234]));
        expected.Remove("bulk-01234");
        previous = await SeeChangeAsync(probe, previous, expected, s => !s.Has("bulk-01234"), "bulk-01234 deregistered", watch);

        host.Store.Register(TestInstances.Create("expiring"), TimeSpan.FromMilliseconds(300));
        expected.Add("expiring");
        watch.Restart();
        previous = await SeeChangeAsync(probe, previous, expected, s => s.Has("expiring"), "expiring registered", watch);
        expected.Remove("expiring");
        watch.Restart();
        await SeeChangeAsync(probe, previous, expected, s => !s.Has("expiring"), "expiring expired", watch);
    }

    private async Task<InstanceSet> SeeChangeAsync(WatchProbe probe, InstanceSet previous, HashSet<string> expected, Func<InstanceSet, bool> changed, string what, Stopwatch watch)
    {
        var set = await probe.WaitForAsync(changed, ChangeBound, what);
        output.WriteLine($"{what}: seen after {watch.Elapsed.TotalMilliseconds:F1} ms, {set.Instances.Length} instances, version {set.Version}");
        AssertExactly(expected, set);
        Assert.True(set.Version > previous.Version, $"version {set.Version} after {previous.Version}");
        Assert.False(set.IsStale);
        return set;
    }

    private static void AssertExactly(HashSet<string> expected, InstanceSet set)
    {
        var ids = set.Instances.Select(i => i.InstanceId).ToList();
        Assert.Equal(expected.Count, ids.Count);
        Assert.True(expected.SetEquals(ids), $"the set differs: {expected.Except(ids).Count()} missing, {ids.Except(expected).Count()} unexpected");
    }
}
