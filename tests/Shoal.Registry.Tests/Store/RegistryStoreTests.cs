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
    public void Register_SameInstanceIdAgain_ReplacesTheOldLease()
    {
        var (first, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));
        var (second, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));

        Assert.NotEqual(first, second);
        Assert.Null(_store.KeepAlive(first));
        Assert.Single(_store.Snapshot(Service).Instances);
        Assert.Equal(1, _store.Count);
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
