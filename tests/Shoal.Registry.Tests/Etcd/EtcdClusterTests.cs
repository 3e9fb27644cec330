using Etcdserverpb;
using Grpc.Net.Client;
using Shoal.Discovery;
using Shoal.Registry.Etcd;
using Shoal.Registry.Tests.Support;
using Xunit.Abstractions;

namespace Shoal.Registry.Tests.Etcd;

/// <summary>A real three-member etcd cluster on loopback: a member stops while registrations and watches go on.</summary>
public sealed class EtcdClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Service = "hello.Greeter";

    private readonly List<IAsyncDisposable> _cleanup = [];
    private EtcdMember[] _members = [];

    public async Task InitializeAsync() => _members = await EtcdMember.StartClusterAsync(3);

    public async Task DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
        foreach (var member in _members)
        {
            await member.DisposeAsync();
        }
    }

    [Fact]
    public async Task LeaderStopped_UnderRegistrationLoad_WatcherKeepsSeeingChangesAndRegistrationsSurvive()
    {
        var leader = await FindLeaderAsync(_members);
        output.WriteLine($"leader: {leader.Name} (client port {leader.ClientPort})");
        // The leader first, so both sides are talking to the member that is stopped.
        var ordered = _members.OrderBy(m => m == leader ? 0 : 1).ToArray();
        var registry = Track(NewRegistry(ordered));
        var watcher = Track(NewRegistry(ordered));
        var probe = Track(WatchProbe.Start(watcher, Service));

        var survivors = new List<IRegistration>();
        for (var i = 1; i <= 3; i++)
        {
            survivors.Add(Track(await registry.RegisterAsync(TestInstances.Create($"s-{i}"), Ttl)));
        }
        await probe.WaitForAsync(s => s.HasExactly("s-1", "s-2", "s-3"), Timeout, "the three instances");

        using var stopLoad = new CancellationTokenSource();
        var load = Task.Run(() => ChurnAsync(registry, stopLoad.Token));
        await Task.Delay(500);

        leader.Kill();
        output.WriteLine("leader killed");

        for (var i = 1; i <= 3; i++)
        {
            Track(await registry.RegisterAsync(TestInstances.Create($"after-{i}"), Ttl));
            await probe.WaitForAsync(s => s.Has($"after-{i}"), Timeout, $"after-{i} registered once the leader was gone");
        }
        await survivors[0].DisposeAsync();
        await probe.WaitForAsync(s => !s.Has("s-1"), Timeout, "s-1 deregistered once the leader was gone");

        // Several TTLs later, the churn still going, the leases are kept alive through the remaining members.
        await Task.Delay(Ttl * 3);
        await stopLoad.CancelAsync();
        var churned = await load;
        output.WriteLine($"churn registrations during the run: {churned}");
        Assert.True(churned > 10, $"the load loop registered only {churned} instances");
        var latest = probe.Latest!;
        Assert.False(latest.IsStale);
        Assert.True(latest.Has("s-2") && latest.Has("s-3") && latest.Has("after-1") && latest.Has("after-3"), WatchProbe.Describe([latest]));
        Assert.All(survivors.Skip(1), r => Assert.True(r.IsLeaseHeld));

        var fresh = Track(NewRegistry(_members.Where(m => m != leader)));
        var freshProbe = Track(WatchProbe.Start(fresh, Service));
        await freshProbe.WaitForAsync(s => s.Has("s-2") && s.Has("s-3") && s.Has("after-2") && !s.Has("s-1"), Timeout, "the registrations in the surviving members");
    }

    [Fact]
    public async Task WatchedMemberStopped_HistoryCompactedMeanwhile_WatcherListsAgainAndSeesTheCurrentSet()
    {
        var watched = _members[0];
        var others = _members.Skip(1).ToArray();
        var writer = Track(NewRegistry(others));
        var logs = new CapturingLoggerFactory();
        // A long reconnect delay, so the history is compacted before the watcher comes back.
        var watcher = Track(NewRegistry(_members, o =>
        {
            o.ReconnectDelay = TimeSpan.FromSeconds(5);
            o.MaxReconnectDelay = TimeSpan.FromSeconds(5);
            o.LoggerFactory = logs;
        }));
        var probe = Track(WatchProbe.Start(watcher, Service));
        var gone = Track(await writer.RegisterAsync(TestInstances.Create("a-1"), Ttl));
        Track(await writer.RegisterAsync(TestInstances.Create("a-2"), Ttl));
        await probe.WaitForAsync(s => s.HasExactly("a-1", "a-2"), Timeout, "both instances");

        watched.Kill();
        await probe.WaitForAsync(s => s.IsStale, Timeout, "a stale set once its member is gone");
        await gone.DisposeAsync();
        Track(await writer.RegisterAsync(TestInstances.Create("a-3"), Ttl));
        await CompactAsync(others[0]);

        var set = await probe.WaitForAsync(s => !s.IsStale && s.HasExactly("a-2", "a-3"), Timeout, "the current set after the watcher came back");
        Assert.True(logs.Has(102), "the watcher should have found its revision compacted and listed again");
        Assert.True(set.Version > probe.Seen.First(s => s.HasExactly("a-1", "a-2")).Version);
    }

    private static async Task CompactAsync(EtcdMember member)
    {
        using var channel = GrpcChannel.ForAddress(member.ClientUrl);
        var kv = new KV.KVClient(channel);
        var head = await kv.RangeAsync(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8("/") }, deadline: DateTime.UtcNow.AddSeconds(5));
        await kv.CompactAsync(new CompactionRequest { Revision = head.Header.Revision, Physical = true }, deadline: DateTime.UtcNow.AddSeconds(5));
    }

    private static async Task<EtcdMember> FindLeaderAsync(IEnumerable<EtcdMember> members)
    {
        foreach (var member in members)
        {
            var status = await member.StatusAsync();
            if (status.Leader == status.Header.MemberId)
            {
                return member;
            }
        }
        throw new InvalidOperationException("No member reports itself as the leader.");
    }

    private static async Task<int> ChurnAsync(EtcdServiceRegistry registry, CancellationToken cancellationToken)
    {
        var count = 0;
        IRegistration? previous = null;
        // Bounded: at most 300 rounds, and the test stops it well before.
        for (var i = 0; i < 300 && !cancellationToken.IsCancellationRequested; i++)
        {
            var next = await registry.RegisterAsync(TestInstances.Create($"churn-{i}"), Ttl, CancellationToken.None);
            count++;
            if (previous is not null)
            {
                await previous.DisposeAsync();
            }
            previous = next;
            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        if (previous is not null)
        {
            await previous.DisposeAsync();
        }
        return count;
    }

    private static EtcdServiceRegistry NewRegistry(IEnumerable<EtcdMember> members, Action<EtcdRegistryOptions>? configure = null)
    {
        var options = new EtcdRegistryOptions
        {
            Endpoints = [.. members.Select(m => m.ClientUrl)],
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
            CallTimeout = TimeSpan.FromSeconds(3),
        };
        configure?.Invoke(options);
        return new EtcdServiceRegistry(options);
    }

    private T Track<T>(T item)
        where T : IAsyncDisposable
    {
        _cleanup.Add(item);
        return item;
    }
}
