using System.Buffers.Binary;
using System.Security.Cryptography;
using Shoal.Client.Discovery.Internal;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Client.Discovery.InMemory;

/// <summary>
/// The in-process store of leases and instances behind the in-memory registry and the embedded
/// registry service. Every lease has a TTL measured on the injected <see cref="TimeProvider"/>;
/// a periodic sweep removes the expired ones. Every change bumps one global version, and the
/// services it touched take that version, so versions only grow.
/// </summary>
/// <remarks>
/// <para>
/// A service's entry lives while it has an instance or a watcher and is reclaimed when it has
/// neither, so watching names nobody registers does not grow the store. An entry created again
/// starts at the store-wide version, never below a version a watcher of the old entry was given.
/// </para>
/// <para>
/// One lock guards the maps: registrations and keepalives are rare next to calls. A full set is
/// built at most once per version and only when asked for; watchers that take deltas
/// (<see cref="WatchChangesAsync"/>) get only what changed, cut from a bounded per-service change
/// log, so a change costs them O(changed instances), not O(all instances). The sweep skips its scan
/// until the earliest lease can have expired. Lease ids are random 63-bit numbers from a
/// cryptographic source: a lease id is what proves ownership of a registration (KeepAlive and
/// Deregister name it), so it must not be guessable, and an id issued before a restart does not
/// name a different lease after it.
/// </para>
/// </remarks>
public sealed partial class RegistryStore : IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<long, Lease> _leases = [];
    private readonly Dictionary<string, long> _leaseByInstance = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServiceEntry> _services = new(StringComparer.Ordinal);
    private readonly RegistryStoreOptions _options;
    private readonly ITimer _sweepTimer;
    private readonly ITimer? _graceTimer;
    private volatile bool _recovering;
    private long _version;
    // No lease expires before this: keepalives only push expiries later, so a scan can be skipped until then.
    private DateTimeOffset _earliestExpiry = DateTimeOffset.MaxValue;
    private bool _disposed;

    /// <summary>Creates a store; <paramref name="timeProvider"/> drives lease expiry (system time when null).</summary>
    public RegistryStore(RegistryStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new RegistryStoreOptions();
        _options.Validate();
        TimeProvider = timeProvider ?? TimeProvider.System;
        _recovering = _options.StartupGracePeriod > TimeSpan.Zero;
        _sweepTimer = TimeProvider.CreateTimer(static s => ((RegistryStore)s!).Sweep(), this, _options.SweepInterval, _options.SweepInterval);
        if (_options.StartupGracePeriod > TimeSpan.Zero)
        {
            _graceTimer = TimeProvider.CreateTimer(static s => ((RegistryStore)s!).EndGrace(), this, _options.StartupGracePeriod, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Random per store: tells clients apart two runs of a registry whose versions both started at zero.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The clock leases are measured on.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>True during <see cref="RegistryStoreOptions.StartupGracePeriod"/> after start.</summary>
    public bool IsRecovering => _recovering;

    /// <summary>The number of live leases (one instance each).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _leases.Count;
            }
        }
    }

    /// <summary>The number of live instances of each service that has one or more (for metrics and dashboards).</summary>
    /// <returns>A copy, service name to instance count.</returns>
    public IReadOnlyDictionary<string, int> CountByService()
    {
        lock (_lock)
        {
            return _services.Where(static s => s.Value.ByLease.Count > 0).ToDictionary(static s => s.Key, static s => s.Value.ByLease.Count, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Registers <paramref name="instance"/> under a new lease and returns its id and the TTL
    /// granted (clamped to the allowed range). Throws <see cref="ArgumentException"/> when the
    /// instance is not valid and <see cref="InstanceIdInUseException"/> when another live lease
    /// holds its instance id: only the holder may replace it (see the overload).
    /// </summary>
    public (long LeaseId, TimeSpan Ttl) Register(ServiceInstance instance, TimeSpan ttl) => Register(instance, ttl, replacesLeaseId: 0);

    /// <summary>
    /// Registers <paramref name="instance"/>, replacing the registration of lease
    /// <paramref name="replacesLeaseId"/> when that lease holds the same instance id (the holder
    /// changing its own instance). An instance id held by any other live lease is refused with
    /// <see cref="InstanceIdInUseException"/>; a lease past its expiry holds nothing.
    /// </summary>
    public (long LeaseId, TimeSpan Ttl) Register(ServiceInstance instance, TimeSpan ttl, long replacesLeaseId)
    {
        InstanceValidation.Validate(instance);
        var granted = ttl < _options.MinTtl ? _options.MinTtl : ttl > _options.MaxTtl ? _options.MaxTtl : ttl;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = TimeProvider.GetUtcNow();
            var touched = new HashSet<string>(instance.Services, StringComparer.Ordinal);
            if (_leaseByInstance.TryGetValue(instance.InstanceId, out var oldId) && _leases.TryGetValue(oldId, out var old))
            {
                if (oldId != replacesLeaseId && old.ExpiresAt > now)
                {
                    throw new InstanceIdInUseException(instance.InstanceId);
                }
                RemoveLocked(old, touched);
            }
            var lease = new Lease(NewLeaseIdLocked(), instance, granted) { ExpiresAt = now + granted };
            _leases.Add(lease.Id, lease);
            _leaseByInstance[instance.InstanceId] = lease.Id;
            if (lease.ExpiresAt < _earliestExpiry)
            {
                _earliestExpiry = lease.ExpiresAt;
            }
            foreach (var service in instance.Services)
            {
                var entry = GetEntryLocked(service);
                entry.ByLease[lease.Id] = instance;
                entry.NoteLocked(instance.InstanceId, instance);
            }
            BumpLocked(touched);
            return (lease.Id, granted);
        }
    }

    /// <summary>Renews lease <paramref name="leaseId"/>; returns its TTL, or null when the lease is unknown (expired or never issued).</summary>
    public TimeSpan? KeepAlive(long leaseId)
    {
        lock (_lock)
        {
            if (!_leases.TryGetValue(leaseId, out var lease))
            {
                return null;
            }
            lease.ExpiresAt = TimeProvider.GetUtcNow() + lease.Ttl;
            return lease.Ttl;
        }
    }

    /// <summary>True while lease <paramref name="leaseId"/> is held (issued, not removed, not yet swept).</summary>
    public bool Contains(long leaseId)
    {
        lock (_lock)
        {
            return _leases.ContainsKey(leaseId);
        }
    }

    /// <summary>Removes lease <paramref name="leaseId"/> and its instance; false when it was unknown.</summary>
    public bool Deregister(long leaseId)
    {
        lock (_lock)
        {
            if (!_leases.TryGetValue(leaseId, out var lease))
            {
                return false;
            }
            var touched = new HashSet<string>(StringComparer.Ordinal);
            RemoveLocked(lease, touched);
            BumpLocked(touched);
            return true;
        }
    }

    /// <summary>The current set of <paramref name="service"/> (empty, at the store's version, when nothing registered or watches it).</summary>
    public InstanceSet Snapshot(string service)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        lock (_lock)
        {
            return _services.TryGetValue(service, out var entry) ? entry.SnapshotLocked(service) : new InstanceSet(service, _version, []);
        }
    }

    /// <summary>The number of service entries held (services with an instance or a watcher); for tests of reclaiming.</summary>
    internal int ServiceEntryCount
    {
        get
        {
            lock (_lock)
            {
                return _services.Count;
            }
        }
    }

    /// <summary>Removes every lease past its expiry; returns how many expired.</summary>
    internal int Sweep()
    {
        var now = TimeProvider.GetUtcNow();
        lock (_lock)
        {
            if (_disposed || now < _earliestExpiry)
            {
                return 0;
            }
            List<Lease>? expired = null;
            var earliest = DateTimeOffset.MaxValue;
            foreach (var lease in _leases.Values)
            {
                if (lease.ExpiresAt <= now)
                {
                    (expired ??= []).Add(lease);
                }
                else if (lease.ExpiresAt < earliest)
                {
                    earliest = lease.ExpiresAt;
                }
            }
            _earliestExpiry = earliest;
            if (expired is null)
            {
                return 0;
            }
            var touched = new HashSet<string>(StringComparer.Ordinal);
            foreach (var lease in expired)
            {
                RemoveLocked(lease, touched);
            }
            BumpLocked(touched);
            return expired.Count;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            var closed = new ObjectDisposedException(nameof(RegistryStore), "The registry store is closed.");
            foreach (var entry in _services.Values)
            {
                entry.Changed.TrySetException(closed);
            }
        }
        _sweepTimer.Dispose();
        _graceTimer?.Dispose();
    }

    private void EndGrace()
    {
        lock (_lock)
        {
            _recovering = false;
            // Wake every watcher so it sends the now authoritative set.
            foreach (var entry in _services.Values)
            {
                entry.Signal();
            }
        }
    }

    private long NewLeaseIdLocked()
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        // Bounded: a collision among 2^63 ids is already unlikely once.
        for (var attempt = 0; attempt < 64; attempt++)
        {
            RandomNumberGenerator.Fill(bytes);
            var id = BinaryPrimitives.ReadInt64LittleEndian(bytes) & long.MaxValue;
            if (id != 0 && !_leases.ContainsKey(id))
            {
                return id;
            }
        }
        throw new InvalidOperationException("No free lease id was found.");
    }

    private ServiceEntry GetEntryLocked(string service)
    {
        if (!_services.TryGetValue(service, out var entry))
        {
            entry = new ServiceEntry(_version);
            _services.Add(service, entry);
        }
        return entry;
    }

    private void RemoveLocked(Lease lease, HashSet<string> touched)
    {
        _leases.Remove(lease.Id);
        if (_leaseByInstance.TryGetValue(lease.Instance.InstanceId, out var current) && current == lease.Id)
        {
            _leaseByInstance.Remove(lease.Instance.InstanceId);
        }
        foreach (var service in lease.Instance.Services)
        {
            if (_services.TryGetValue(service, out var entry) && entry.ByLease.Remove(lease.Id))
            {
                entry.NoteLocked(lease.Instance.InstanceId, null);
            }
            touched.Add(service);
        }
    }

    private void BumpLocked(HashSet<string> touched)
    {
        if (touched.Count == 0)
        {
            return;
        }
        var version = ++_version;
        foreach (var service in touched)
        {
            if (_services.TryGetValue(service, out var entry))
            {
                entry.CommitLocked(version);
                ReclaimIfUnusedLocked(service, entry);
            }
        }
    }

    private void ReclaimIfUnusedLocked(string service, ServiceEntry entry)
    {
        if (entry.IsUnused && _services.TryGetValue(service, out var held) && ReferenceEquals(held, entry))
        {
            _services.Remove(service);
        }
    }

    private sealed class Lease(long id, ServiceInstance instance, TimeSpan ttl)
    {
        public long Id { get; } = id;

        public ServiceInstance Instance { get; } = instance;

        public TimeSpan Ttl { get; } = ttl;

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
