using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Discovery.InMemory;
using Shoal.Discovery;
using Shoal.Registry.Tests.Support;
using Shoal.Server.Registry;

namespace Shoal.Registry.Tests.Store;

public sealed class RegistryStoreTests : IDisposable
{
    private const string Service = "hello.Greeter";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private readonly RegistryStore _store;

    public RegistryStoreTests() => _store = new RegistryStore(new RegistryStoreOptions { SweepInterval = TimeSpan.FromMilliseconds(100) }, _time);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Register_TtlOutsideTheAllowedRange_IsClamped()
    {
        var (_, shortTtl) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromMilliseconds(1));
        var (_, longTtl) = _store.Register(TestInstances.Create("a-2"), TimeSpan.FromDays(3));

        Assert.Equal(TimeSpan.FromMilliseconds(100), shortTtl);
        Assert.Equal(TimeSpan.FromHours(1), longTtl);
    }

    [Fact]
    public void Leases_OfAServiceOrOfAll_GiveEachInstanceWithItsTtlAndTimeLeft()
    {
        _store.Register(TestInstances.Create("b-1", "shop.orders.Orders"), TimeSpan.FromSeconds(10));
        _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(4));
        _time.Advance(TimeSpan.FromSeconds(1));

        var all = _store.Leases();
        var greeter = Assert.Single(_store.Leases(Service));

        Assert.Equal(["a-1", "b-1"], all.Select(l => l.Instance.InstanceId));
        Assert.Equal("a-1", greeter.Instance.InstanceId);
        Assert.Equal(TimeSpan.FromSeconds(4), greeter.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(3), greeter.Remaining);
        Assert.Empty(_store.Leases("hello.Nobody"));
    }

    [Fact]
    public void Lease_NotRenewed_ExpiresAtTheFirstSweepAfterItsTtl()
    {
        _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(1));

        _time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.True(_store.Snapshot(Service).Has("a-1"));
        _time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.Empty(_store.Snapshot(Service).Instances);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public void KeepAlive_BeforeExpiry_ExtendsTheLeaseByItsTtl()
    {
        var (lease, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(1));

        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            Assert.Equal(TimeSpan.FromSeconds(1), _store.KeepAlive(lease));
        }

        Assert.True(_store.Snapshot(Service).Has("a-1"));
    }

    [Fact]
    public void KeepAlive_UnknownLease_ReturnsNull()
    {
        var (lease, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Null(_store.KeepAlive(lease));
        Assert.Null(_store.KeepAlive(12345));
    }

    [Fact]
    public void Register_InstanceIdHeldByAnotherLiveLease_RefusedAndTheHolderKeepsIt()
    {
        var (holder, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));

        var error = Assert.Throws<InstanceIdInUseException>(() => _store.Register(TestInstances.Create("a-1") with { Weight = 1 }, TimeSpan.FromSeconds(10)));
        var wrongHolder = Assert.Throws<InstanceIdInUseException>(() => _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10), replacesLeaseId: holder + 1));

        Assert.Equal("a-1", error.InstanceId);
        Assert.Equal("a-1", wrongHolder.InstanceId);
        Assert.NotNull(_store.KeepAlive(holder));
        Assert.Equal(50, Assert.Single(_store.Snapshot(Service).Instances).Weight);
        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public void Register_HolderReplacesItsOwnInstance_TheOldLeaseEnds()
    {
        var (first, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));
        var (second, _) = _store.Register(TestInstances.Create("a-1") with { Weight = 7 }, TimeSpan.FromSeconds(10), replacesLeaseId: first);

        Assert.NotEqual(first, second);
        Assert.Null(_store.KeepAlive(first));
        Assert.Equal(7, Assert.Single(_store.Snapshot(Service).Instances).Weight);
        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public void Register_InstanceIdOfALeasePastItsExpiryNotYetSwept_Allowed()
    {
        // Sweeps run every 100 ms from the store's creation: this lease expires at 1,050 ms, between two sweeps.
        _time.Advance(TimeSpan.FromMilliseconds(50));
        var (old, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(1));
        // In two steps: the fake clock runs due timers at the end of each step's time.
        _time.Advance(TimeSpan.FromMilliseconds(950));
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.True(_store.Contains(old));

        var (fresh, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));

        Assert.False(_store.Contains(old));
        Assert.True(_store.Contains(fresh));
    }

    [Fact]
    public void Register_ManyLeases_IdsArePositiveDistinctAndNotSequential()
    {
        var ids = Enumerable.Range(0, 200).Select(i => _store.Register(TestInstances.Create($"a-{i}"), TimeSpan.FromSeconds(10)).LeaseId).ToArray();

        Assert.All(ids, id => Assert.True(id > 0));
        Assert.Equal(ids.Length, ids.Distinct().Count());
        // Sequential or nearly sequential ids (what a stranger could guess) would sit within a narrow range.
        Assert.True(ids.Max() - ids.Min() > long.MaxValue / 4, $"ids span only {ids.Max() - ids.Min()}");
        Assert.Contains(ids, id => id > int.MaxValue);
    }

    [Fact]
    public void Sweep_ManyLeasesExpireTogether_VersionGrowsOnce()
    {
        for (var i = 0; i < 5; i++)
        {
            _store.Register(TestInstances.Create($"a-{i}"), TimeSpan.FromSeconds(1));
        }
        var before = _store.Snapshot(Service).Version;

        _time.Advance(TimeSpan.FromMilliseconds(1100));

        var after = _store.Snapshot(Service);
        Assert.Empty(after.Instances);
        Assert.Equal(before + 1, after.Version);
    }

    [Fact]
    public void Register_InvalidInstance_ThrowsWithTheReason()
    {
        var noServices = TestInstances.Create("a-1") with { Services = [] };
        var noId = TestInstances.Create("");
        var negative = TestInstances.Create("a-1") with { Weight = -1 };

        Assert.Contains("names no service", Assert.Throws<ArgumentException>(() => _store.Register(noServices, TimeSpan.FromSeconds(1))).Message);
        Assert.Contains("no instance id", Assert.Throws<ArgumentException>(() => _store.Register(noId, TimeSpan.FromSeconds(1))).Message);
        Assert.Contains("negative weight", Assert.Throws<ArgumentException>(() => _store.Register(negative, TimeSpan.FromSeconds(1))).Message);
    }

    [Fact]
    public async Task Watch_SeveralChangesBeforeTheReaderLooks_ReaderGetsTheNewestSet()
    {
        await using var enumerator = _store.WatchAsync(Service).GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(0, enumerator.Current.Version);

        _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));
        _store.Register(TestInstances.Create("a-2"), TimeSpan.FromSeconds(10));
        _store.Register(TestInstances.Create("a-3"), TimeSpan.FromSeconds(10));

        Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(enumerator.Current.HasExactly("a-1", "a-2", "a-3"));
        Assert.Equal(3, enumerator.Current.Version);
    }

    [Fact]
    public async Task StartupGrace_Configured_RecoveringUntilItEndsThenWatchersAreWoken()
    {
        using var store = new RegistryStore(new RegistryStoreOptions { StartupGracePeriod = TimeSpan.FromSeconds(5) }, _time);
        await using var enumerator = store.WatchAsync(Service).GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());
        Assert.True(store.IsRecovering);

        var next = enumerator.MoveNextAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(store.IsRecovering);
        Assert.Equal(0, enumerator.Current.Version);
    }

    [Fact]
    public async Task Dispose_WatcherWaiting_WatchEndsWithObjectDisposed()
    {
        using var store = new RegistryStore(timeProvider: _time);
        await using var enumerator = store.WatchAsync(Service).GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());

        var next = enumerator.MoveNextAsync().AsTask();
        store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => next.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Options_Inconsistent_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new RegistryStore(new RegistryStoreOptions { MinTtl = TimeSpan.FromSeconds(5), MaxTtl = TimeSpan.FromSeconds(1) }, _time));
        Assert.Throws<ArgumentException>(() => new RegistryStore(new RegistryStoreOptions { SweepInterval = TimeSpan.Zero }, _time));
    }
}
