using Shoal.Client.Discovery.InMemory;

namespace Shoal.Server.Registry.Internal;

/// <summary>
/// Counts what each client connection (the call's peer address and port) holds: its live leases
/// and its open watch streams, so one member cannot fill the registry or pin its threads alone.
/// </summary>
/// <remarks>
/// A lease outlives the connection that made it (keepalives may come on a new connection), so a
/// connection's leases are ids checked against the store and forgotten once the store no longer
/// holds them. Entries of connections that have gone away are swept once the table has grown past
/// twice what a sweep left, so the table stays in proportion to the live leases.
/// </remarks>
internal sealed class RegistryConnectionLimits(RegistryStore store, EmbeddedRegistryOptions options)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, HashSet<long>> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _watches = new(StringComparer.Ordinal);
    private int _sweepAt = 1024;

    /// <summary>
    /// Runs <paramref name="register"/> when <paramref name="peer"/> has room for another lease and
    /// records the lease it returns; false (nothing run) when the connection is at its cap.
    /// </summary>
    public bool TryRegister(string peer, Func<(long LeaseId, TimeSpan Ttl)> register, out (long LeaseId, TimeSpan Ttl) result)
    {
        // Registrations are rare next to calls; holding the lock across the store's own keeps the count exact.
        lock (_lock)
        {
            if (_leases.Count > _sweepAt)
            {
                SweepLocked();
            }
            _leases.TryGetValue(peer, out var held);
            if (held is not null && held.Count >= options.MaxLeasesPerConnection)
            {
                held.RemoveWhere(id => !store.Contains(id));
                if (held.Count >= options.MaxLeasesPerConnection)
                {
                    result = default;
                    return false;
                }
            }
            // A register that throws records nothing.
            result = register();
            if (held is null)
            {
                held = [];
                _leases.Add(peer, held);
            }
            held.Add(result.LeaseId);
            return true;
        }
    }

    /// <summary>Counts one more watch stream of <paramref name="peer"/>; false when it is at its cap.</summary>
    public bool TryOpenWatch(string peer)
    {
        lock (_lock)
        {
            var open = _watches.GetValueOrDefault(peer);
            if (open >= options.MaxWatchesPerConnection)
            {
                return false;
            }
            _watches[peer] = open + 1;
            return true;
        }
    }

    /// <summary>Ends a watch stream counted by <see cref="TryOpenWatch"/>.</summary>
    public void CloseWatch(string peer)
    {
        lock (_lock)
        {
            if (_watches.TryGetValue(peer, out var open))
            {
                if (open <= 1)
                {
                    _watches.Remove(peer);
                }
                else
                {
                    _watches[peer] = open - 1;
                }
            }
        }
    }

    /// <summary>The connections with a live lease or an open watch (for tests).</summary>
    internal int TrackedConnections
    {
        get
        {
            lock (_lock)
            {
                return _leases.Count + _watches.Count;
            }
        }
    }

    private void SweepLocked()
    {
        List<string>? empty = null;
        foreach (var (peer, held) in _leases)
        {
            held.RemoveWhere(id => !store.Contains(id));
            if (held.Count == 0)
            {
                (empty ??= []).Add(peer);
            }
        }
        foreach (var peer in empty ?? [])
        {
            _leases.Remove(peer);
        }
        _sweepAt = Math.Max(1024, _leases.Count * 2);
    }
}
