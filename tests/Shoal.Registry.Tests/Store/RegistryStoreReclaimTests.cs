using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Discovery.InMemory;
using Shoal.Registry.Tests.Support;

namespace Shoal.Registry.Tests.Store;

/// <summary>
/// Entries of services nobody registers are reclaimed when their last watcher leaves, observed
/// through the store's internal entry count; versions never go backwards across a reclaim.
/// </summary>
public sealed class RegistryStoreReclaimTests : IDisposable
{
    private const string Service = "hello.Greeter";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private readonly RegistryStore _store;

    public RegistryStoreReclaimTests() => _store = new RegistryStore(new RegistryStoreOptions { SweepInterval = TimeSpan.FromMilliseconds(100) }, _time);

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task WatchChanges_TenThousandUnknownNamesOpenedAndClosed_StoreHoldsNoEntry()
    {
        for (var i = 0; i < 10_000; i++)
        {
            await using var changes = _store.WatchChangesAsync($"unknown.S{i}").GetAsyncEnumerator();
            Assert.True(await changes.MoveNextAsync());
            Assert.Empty(changes.Current.Full!.Instances);
        }

        Assert.Equal(0, _store.ServiceEntryCount);
    }

    [Fact]
    public async Task Watch_ManyUnknownNamesOpenAtOnce_HeldWhileOpenReclaimedWhenClosed()
    {
        var open = new List<IAsyncEnumerator<Shoal.Discovery.InstanceSet>>();
        try
        {
            for (var i = 0; i < 1_000; i++)
            {
                var watch = _store.WatchAsync($"unknown.S{i}").GetAsyncEnumerator();
                open.Add(watch);
                Assert.True(await watch.MoveNextAsync());
            }
            Assert.Equal(1_000, _store.ServiceEntryCount);
        }
        finally
        {
            foreach (var watch in open)
            {
                await watch.DisposeAsync();
            }
        }

        Assert.Equal(0, _store.ServiceEntryCount);
    }

    [Fact]
    public async Task Watch_CancelledWhileWaiting_EntryReclaimed()
    {
        using var cts = new CancellationTokenSource();
        await using var watch = _store.WatchAsync("unknown.Cancelled", cts.Token).GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync());
        var next = watch.MoveNextAsync().AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Wait));
        Assert.Equal(0, _store.ServiceEntryCount);
    }

    [Fact]
    public async Task Service_WatchedEmptiedReclaimedAndRegisteredAgain_VersionsKeepIncreasing()
    {
        var seen = new List<long>();
        var (lease, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));
        await using (var first = _store.WatchAsync(Service).GetAsyncEnumerator())
        {
            Assert.True(await first.MoveNextAsync());
            seen.Add(first.Current.Version);
            _store.Deregister(lease);
            Assert.True(await first.MoveNextAsync().AsTask().WaitAsync(Wait));
            Assert.Empty(first.Current.Instances);
            seen.Add(first.Current.Version);
        }
        Assert.Equal(0, _store.ServiceEntryCount);
        seen.Add(_store.Snapshot(Service).Version);

        await using var second = _store.WatchAsync(Service).GetAsyncEnumerator();
        Assert.True(await second.MoveNextAsync());
        Assert.Empty(second.Current.Instances);
        seen.Add(second.Current.Version);
        _store.Register(TestInstances.Create("a-2"), TimeSpan.FromSeconds(10));
        Assert.True(await second.MoveNextAsync().AsTask().WaitAsync(Wait));
        Assert.True(second.Current.HasExactly("a-2"));
        seen.Add(second.Current.Version);

        // Each set a watcher compares is at least the last one, and a real change is strictly newer.
        Assert.Equal(seen.Order(), seen);
        Assert.True(seen[^1] > seen[1]);
        Assert.True(seen[1] > seen[0]);
    }

    [Fact]
    public async Task Service_ReclaimedWhileOtherServicesChange_NewEntryStartsAtTheStoreVersion()
    {
        var (lease, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));
        _store.Deregister(lease);
        Assert.Equal(0, _store.ServiceEntryCount);
        var before = _store.Snapshot(Service).Version;
        _store.Register(TestInstances.Create("b-1", "shop.orders.Orders"), TimeSpan.FromSeconds(10));

        await using var changes = _store.WatchChangesAsync(Service).GetAsyncEnumerator();
        Assert.True(await changes.MoveNextAsync());

        Assert.True(changes.Current.Version > before);
        Assert.Equal(2, _store.ServiceEntryCount);
    }

    [Fact]
    public async Task Service_EmptiedWhileWatched_EntryKeptUntilTheWatcherLeaves()
    {
        var (lease, _) = _store.Register(TestInstances.Create("a-1"), TimeSpan.FromSeconds(10));
        var watch = _store.WatchChangesAsync(Service).GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync());

        _store.Deregister(lease);
        Assert.True(await watch.MoveNextAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(["a-1"], watch.Current.Removed);
        Assert.Equal(1, _store.ServiceEntryCount);

        await watch.DisposeAsync();
        Assert.Equal(0, _store.ServiceEntryCount);
    }
}
