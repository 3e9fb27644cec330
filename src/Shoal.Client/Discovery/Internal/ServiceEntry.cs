using Shoal.Client.Discovery.InMemory;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Client.Discovery.Internal;

/// <summary>
/// One service in a <see cref="RegistryStore"/>: its instances by lease, its version, the full set
/// built at most once per version (only when someone asks for it), the signal that wakes its
/// watchers, how many watchers it has, and a bounded log of recent changes from which a watcher's
/// delta is cut. Every member is used under the store's lock.
/// </summary>
/// <param name="version">
/// The version it starts at: the store's counter when it is created, so an entry created again
/// after it was reclaimed never gives a watcher a version below one it was given before.
/// </param>
internal sealed class ServiceEntry(long version)
{
    /// <summary>Changes kept for deltas; a watcher further behind than this gets the whole set.</summary>
    internal const int MaxLog = 4096;

    private readonly List<LogEntry> _log = [];
    private readonly List<LogEntry> _pending = [];
    private InstanceSet? _cached;
    private long _logFloor;

    public Dictionary<long, ServiceInstance> ByLease { get; } = [];

    public long Version { get; private set; } = version;

    /// <summary>The watches open on this service; the store reclaims the entry when none is left and it holds no instance.</summary>
    public int Watchers { get; set; }

    /// <summary>True when nothing needs the entry any more: no instance, no watcher.</summary>
    public bool IsUnused => ByLease.Count == 0 && Watchers == 0;

    public TaskCompletionSource Changed { get; private set; } = NewSignal();

    public InstanceSet SnapshotLocked(string service)
        => _cached ??= new InstanceSet(service, Version, [.. ByLease.Values]);

    /// <summary>Notes that <paramref name="instanceId"/> now is <paramref name="instance"/> (null: removed); committed by <see cref="CommitLocked"/>.</summary>
    public void NoteLocked(string instanceId, ServiceInstance? instance) => _pending.Add(new LogEntry(0, instanceId, instance));

    /// <summary>Gives the noted changes <paramref name="version"/>, drops the cached set and wakes the watchers.</summary>
    public void CommitLocked(long version)
    {
        Version = version;
        _cached = null;
        foreach (var entry in _pending)
        {
            _log.Add(entry with { Version = version });
        }
        _pending.Clear();
        if (_log.Count > MaxLog)
        {
            // Drop the older half at once, so trimming is rare; a delta from before the floor is no longer possible.
            var drop = _log.Count - (MaxLog / 2);
            _logFloor = _log[drop - 1].Version;
            _log.RemoveRange(0, drop);
        }
        Signal();
    }

    /// <summary>
    /// The changes after <paramref name="since"/>, newest state per instance id, or false when the
    /// log no longer reaches back that far (the caller sends the whole set instead).
    /// </summary>
    public bool TryChangesSinceLocked(long since, out List<ServiceInstance> upserted, out List<string> removed)
    {
        upserted = [];
        removed = [];
        if (since < _logFloor)
        {
            return false;
        }
        var start = _log.Count;
        while (start > 0 && _log[start - 1].Version > since)
        {
            start--;
        }
        if (start == _log.Count)
        {
            return true;
        }
        // The last change of each id wins; most deltas touch one instance.
        var latest = new Dictionary<string, ServiceInstance?>(_log.Count - start, StringComparer.Ordinal);
        for (var i = start; i < _log.Count; i++)
        {
            latest[_log[i].InstanceId] = _log[i].Instance;
        }
        foreach (var (id, instance) in latest)
        {
            if (instance is null)
            {
                removed.Add(id);
            }
            else
            {
                upserted.Add(instance);
            }
        }
        return true;
    }

    public void Signal()
    {
        var old = Changed;
        Changed = NewSignal();
        old.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly record struct LogEntry(long Version, string InstanceId, ServiceInstance? Instance);
}
