using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Discovery.InMemory;
using Shoal.Client.Discovery.Internal;
using Shoal.Registry.Tests.Support;
using Shoal.Server.Registry;
using Shoal.Server.Registry.Internal;

namespace Shoal.Registry.Tests.Store;

/// <summary>The store's delta watch: a whole set first, then only what changed.</summary>
public sealed class RegistryStoreChangesTests : IDisposable
{
    private const string Service = "hello.Greeter";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private readonly RegistryStore _store;

    public RegistryStoreChangesTests() => _store = new RegistryStore(new RegistryStoreOptions { SweepInterval = TimeSpan.FromMilliseconds(100) }, _time);

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task WatchChanges_FirstItem_IsTheWholeCurrentSet()
    {
        _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));
        _store.Register(TestInstances.Create("a-2"), TimeSpan.FromSeconds(10));
        await using var changes = _store.WatchChangesAsync(Service).GetAsyncEnumerator();

        Assert.True(await changes.MoveNextAsync());

        Assert.NotNull(changes.Current.Full);
        Assert.True(changes.Current.Full.HasExactly("a-1", "a-2"));
        Assert.Equal(2, changes.Current.Version);
    }

    [Fact]
    public async Task WatchChanges_OneRegistration_DeltaNamesOnlyThatInstance()
    {
        _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));
        await using var changes = _store.WatchChangesAsync(Service).GetAsyncEnumerator();
        Assert.True(await changes.MoveNextAsync());

        _store.Register(TestInstances.Create("a-2"), TimeSpan.FromSeconds(10));

        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(Wait));
        var delta = changes.Current;
        Assert.Null(delta.Full);
        Assert.Equal(1, delta.BaseVersion);
        Assert.Equal(2, delta.Version);
        Assert.Equal(["a-2"], delta.Upserted.Select(i => i.InstanceId));
        Assert.Empty(delta.Removed);
    }

    [Fact]
    public async Task WatchChanges_SeveralChangesBeforeTheReaderLooks_OneDeltaWithTheLastStateOfEachId()
    {
        var (lease1, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));
        await using var changes = _store.WatchChangesAsync(Service).GetAsyncEnumerator();
        Assert.True(await changes.MoveNextAsync());

        var (lease2, _) = _store.Register(TestInstances.Create("a-2"), TimeSpan.FromSeconds(10));
        _store.Deregister(lease1);
        _store.Register(TestInstances.Create("a-3"), TimeSpan.FromSeconds(10));
        _store.Deregister(lease2);

        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(Wait));
        var delta = changes.Current;
        Assert.Equal(1, delta.BaseVersion);
        Assert.Equal(5, delta.Version);
        Assert.Equal(["a-3"], delta.Upserted.Select(i => i.InstanceId));
        Assert.Equal(["a-1", "a-2"], delta.Removed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WatchChanges_HolderRegistersItsInstanceAgain_DeltaReplacesIt()
    {
        var (lease, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));
        await using var changes = _store.WatchChangesAsync(Service).GetAsyncEnumerator();
        Assert.True(await changes.MoveNextAsync());

        var replacement = TestInstances.Create("a-1") with { Weight = 7 };
        _store.Register(replacement, TimeSpan.FromSeconds(10), replacesLeaseId: lease);

        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(Wait));
        Assert.Same(replacement, Assert.Single(changes.Current.Upserted));
        Assert.Empty(changes.Current.Removed);
    }

    [Fact]
    public async Task WatchChanges_LeasesExpire_DeltaRemovesThem()
    {
        _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(1));
        _store.Register(TestInstances.Create("a-2"), TimeSpan.FromSeconds(1));
        _store.Register(TestInstances.Create("a-3"), TimeSpan.FromSeconds(10));
        await using var changes = _store.WatchChangesAsync(Service).GetAsyncEnumerator();
        Assert.True(await changes.MoveNextAsync());

        _time.Advance(TimeSpan.FromMilliseconds(1100));

        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(["a-1", "a-2"], changes.Current.Removed.Order(StringComparer.Ordinal));
        Assert.Equal(4, changes.Current.Version);
        Assert.True(_store.Snapshot(Service).HasExactly("a-3"));
    }

    [Fact]
    public async Task WatchChanges_ReaderFurtherBehindThanTheLog_GetsTheWholeSetAgain()
    {
        await using var changes = _store.WatchChangesAsync(Service).GetAsyncEnumerator();
        Assert.True(await changes.MoveNextAsync());

        for (var i = 0; i <= ServiceEntry.MaxLog; i++)
        {
            _store.Register(TestInstances.Create($"a-{i}"), TimeSpan.FromSeconds(10));
        }

        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(Wait));
        Assert.NotNull(changes.Current.Full);
        Assert.Equal(ServiceEntry.MaxLog + 1, changes.Current.Full.Instances.Length);
    }

    [Fact]
    public async Task WatchChanges_StartupGraceEnds_EmptyDeltaThatIsNoLongerRecovering()
    {
        using var store = new RegistryStore(new RegistryStoreOptions { StartupGracePeriod = TimeSpan.FromSeconds(5) }, _time);
        store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(30));
        await using var changes = store.WatchChangesAsync(Service).GetAsyncEnumerator();
        Assert.True(await changes.MoveNextAsync());
        Assert.True(changes.Current.Recovering);

        var next = changes.MoveNextAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(await next.WaitAsync(Wait));
        var change = changes.Current;
        Assert.False(change.Recovering);
        Assert.Null(change.Full);
        Assert.Equal(change.BaseVersion, change.Version);
        Assert.Empty(change.Upserted);
        Assert.Empty(change.Removed);
    }

    [Fact]
    public void Sweep_LeasesKeptAlive_ExpiresOnlyTheOneThatWasNot()
    {
        var (kept, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(1));
        _store.Register(TestInstances.Create("a-2"), TimeSpan.FromSeconds(1));

        for (var i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(300));
            _store.KeepAlive(kept);
        }

        Assert.True(_store.Snapshot(Service).HasExactly("a-1"));
        _time.Advance(TimeSpan.FromMilliseconds(1100));
        Assert.Empty(_store.Snapshot(Service).Instances);
    }
}
