using Shoal.Discovery;

namespace Shoal.Registry.Tests.Support;

/// <summary>Consumes a resolver's watch in the background and lets a test wait for a set it expects.</summary>
internal sealed class WatchProbe : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly List<InstanceSet> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _error;

    private WatchProbe(IServiceResolver resolver, string service)
        => _loop = Task.Run(() => RunAsync(resolver, service));

    public static WatchProbe Start(IServiceResolver resolver, string service) => new(resolver, service);

    public IReadOnlyList<InstanceSet> Seen
    {
        get
        {
            lock (_lock)
            {
                return [.. _seen];
            }
        }
    }

    public InstanceSet? Latest
    {
        get
        {
            lock (_lock)
            {
                return _seen.Count == 0 ? null : _seen[^1];
            }
        }
    }

    /// <summary>Waits (bounded by <paramref name="timeout"/>) until the latest set satisfies <paramref name="predicate"/>.</summary>
    public async Task<InstanceSet> WaitForAsync(Func<InstanceSet, bool> predicate, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_error is not null)
                {
                    throw new InvalidOperationException($"The watch failed while waiting for {what}.", _error);
                }
                if (_seen.Count > 0 && predicate(_seen[^1]))
                {
                    return _seen[^1];
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; sets seen: {Describe(Seen)}");
            }
        }
    }

    public static string Describe(IEnumerable<InstanceSet> sets)
        => string.Join("; ", sets.Select(s => $"v{s.Version}{(s.IsStale ? " stale" : "")} [{string.Join(",", s.Instances.Select(i => i.InstanceId))}]"));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(IServiceResolver resolver, string service)
    {
        try
        {
            await foreach (var set in resolver.WatchAsync(service, _stop.Token))
            {
                lock (_lock)
                {
                    _seen.Add(set);
                    var old = _changed;
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    old.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _error = ex;
                _changed.TrySetResult();
            }
        }
    }
}
