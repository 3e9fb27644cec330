using System.Diagnostics;
using Shoal.Discovery;

namespace Shoal.Benchmarks.Registry;

/// <summary>
/// N watchers of one service, each on its own resolver (its own connection). A test states what
/// it expects (a predicate on the set); the group reports when the last watcher saw it.
/// </summary>
internal sealed class WatcherGroup : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly IServiceResolver[] _resolvers;
    private readonly Task[] _loops;
    private readonly InstanceSet?[] _latest;
    private Func<InstanceSet, bool>? _expected;
    private bool[] _satisfied;
    private int _remaining;
    private long _lastSeenTimestamp;
    private TaskCompletionSource<long>? _allSeen;
    private long _setsSeen;

    public WatcherGroup(IRegistryBackend backend, int count)
    {
        _resolvers = new IServiceResolver[count];
        _loops = new Task[count];
        _latest = new InstanceSet?[count];
        _satisfied = new bool[count];
        for (var i = 0; i < count; i++)
        {
            _resolvers[i] = backend.CreateWatcher();
            var index = i;
            _loops[i] = Task.Run(() => RunAsync(index));
        }
    }

    /// <summary>Sets consumed by all watchers so far.</summary>
    public long SetsSeen => Interlocked.Read(ref _setsSeen);

    /// <summary>
    /// Waits until every watcher's newest set satisfies <paramref name="expected"/> and returns the
    /// <see cref="Stopwatch"/> timestamp at which the last of them saw it.
    /// </summary>
    public async Task<long> WaitAllAsync(Func<InstanceSet, bool> expected, TimeSpan timeout, string what)
    {
        Task<long> all;
        lock (_lock)
        {
            _expected = expected;
            _satisfied = new bool[_resolvers.Length];
            _remaining = _resolvers.Length;
            _lastSeenTimestamp = 0;
            _allSeen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            all = _allSeen.Task;
            for (var i = 0; i < _latest.Length; i++)
            {
                if (_latest[i] is { } set)
                {
                    CheckLocked(i, set, Stopwatch.GetTimestamp());
                }
            }
        }
        try
        {
            return await all.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for every watcher to see {what}; {_remaining} of {_resolvers.Length} still waiting.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var resolver in _resolvers)
        {
            await resolver.DisposeAsync();
        }
        _stop.Dispose();
    }

    private async Task RunAsync(int index)
    {
        await foreach (var set in _resolvers[index].WatchAsync(BenchInstances.Service, _stop.Token))
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _setsSeen);
            lock (_lock)
            {
                _latest[index] = set;
                CheckLocked(index, set, now);
            }
        }
    }

    private void CheckLocked(int index, InstanceSet set, long now)
    {
        if (_expected is null || _satisfied[index] || !_expected(set))
        {
            return;
        }
        _satisfied[index] = true;
        _lastSeenTimestamp = Math.Max(_lastSeenTimestamp, now);
        if (--_remaining == 0)
        {
            _allSeen?.TrySetResult(_lastSeenTimestamp);
        }
    }
}
