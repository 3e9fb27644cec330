using System.Runtime.CompilerServices;
using Shoal.Client.Discovery.Internal;
using Shoal.Discovery;

namespace Shoal.Client.Discovery.InMemory;

/// <content>Watching a service: whole sets, or a whole set followed by deltas.</content>
public sealed partial class RegistryStore
{
    /// <summary>
    /// Yields the current set of <paramref name="service"/> at once, then the newest set after
    /// every change (a slow reader skips intermediate sets, never the latest one), until cancelled.
    /// The set is yielded again, at the same version, when the startup grace period ends.
    /// </summary>
    public async IAsyncEnumerable<InstanceSet> WatchAsync(string service, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        var entry = AddWatcher(service);
        try
        {
            var lastVersion = -1L;
            var lastRecovering = false;
            while (true)
            {
                InstanceSet set;
                Task changed;
                bool recovering;
                lock (_lock)
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    set = entry.SnapshotLocked(service);
                    changed = entry.Changed.Task;
                    recovering = IsRecovering;
                }
                if (set.Version != lastVersion || recovering != lastRecovering)
                {
                    lastVersion = set.Version;
                    lastRecovering = recovering;
                    yield return set;
                }
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            RemoveWatcher(service, entry);
        }
    }

    /// <summary>
    /// Yields the current set of <paramref name="service"/> at once, then after every change only
    /// what changed since the last item this watcher got (several changes made while it was busy
    /// come as one delta). A watcher further behind than the change log reaches gets the whole set
    /// again. An empty delta marks the end of the startup grace period.
    /// </summary>
    internal async IAsyncEnumerable<InstanceSetChange> WatchChangesAsync(string service, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        var entry = AddWatcher(service);
        try
        {
            var lastVersion = -1L;
            var lastRecovering = false;
            while (true)
            {
                InstanceSetChange? change = null;
                Task changed;
                lock (_lock)
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    var recovering = IsRecovering;
                    if (lastVersion < 0)
                    {
                        change = InstanceSetChange.Snapshot(entry.SnapshotLocked(service), recovering);
                    }
                    else if (entry.Version != lastVersion || recovering != lastRecovering)
                    {
                        change = entry.TryChangesSinceLocked(lastVersion, out var upserted, out var removed)
                            ? InstanceSetChange.Delta(lastVersion, entry.Version, upserted, removed, recovering)
                            : InstanceSetChange.Snapshot(entry.SnapshotLocked(service), recovering);
                    }
                    changed = entry.Changed.Task;
                }
                if (change is not null)
                {
                    lastVersion = change.Version;
                    lastRecovering = change.Recovering;
                    yield return change;
                }
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            RemoveWatcher(service, entry);
        }
    }

    // A counted entry is never reclaimed, so the watch can hold it for its whole life.
    private ServiceEntry AddWatcher(string service)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var entry = GetEntryLocked(service);
            entry.Watchers++;
            return entry;
        }
    }

    private void RemoveWatcher(string service, ServiceEntry entry)
    {
        lock (_lock)
        {
            entry.Watchers--;
            ReclaimIfUnusedLocked(service, entry);
        }
    }
}
