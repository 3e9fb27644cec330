using Grpc.Core;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Client.Cluster.Internal;
using Shoal.Connections;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Client.Cluster.Endpoints;

/// <summary>
/// The directory layer (dubbo-go's <c>directory</c>): watches a resolver, keeps one connection per
/// instance over the preferred transport, tracks connection state, and publishes an immutable
/// <see cref="EndpointSnapshot"/> of the endpoints that may be picked.
/// </summary>
/// <remarks>
/// Every change (an instance set, a connection state, an ejection, a health verdict) rebuilds the
/// snapshot at once under one lock and publishes it with a volatile write; pickers never take the
/// lock. A connection that goes <see cref="ConnectionState.TransientFailure"/>,
/// <see cref="ConnectionState.Draining"/> or <see cref="ConnectionState.Shutdown"/> leaves the
/// snapshot in the same <see cref="IConnection.StateChanged"/> callback, so no new call is sent to
/// it from then on. With <see cref="ClusterDirectoryOptions.LoadReporter"/> set, the directory also
/// owns one load-report watcher per endpoint: started when the endpoint is added, stopped when the
/// instance leaves or the directory is disposed.
/// </remarks>
public sealed partial class ClusterDirectory : IAsyncDisposable
{
    private readonly IServiceResolver _resolver;
    private readonly IReadOnlyList<IConnectionFactory> _factories;
    private readonly ClusterDirectoryOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ClusterEndpoint> _byInstanceId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ZoneLoad> _zones = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _firstSet = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _watchEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // A boxed Status: written once, read on the call path without a lock.
    private volatile object? _refusal;
    private readonly CancellationTokenSource _stopping = new();
    private EndpointSnapshot _snapshot = EndpointSnapshot.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _watchTask;
    private long _version;
    private bool _hasSet;
    private bool _disposed;

    /// <summary>Creates the directory; call <see cref="Start"/> to begin watching.</summary>
    public ClusterDirectory(string service, IServiceResolver resolver, IEnumerable<IConnectionFactory> connectionFactories,
        ClusterDirectoryOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        Service = service;
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _factories = (connectionFactories ?? throw new ArgumentNullException(nameof(connectionFactories))).ToArray();
        _options = options ?? new ClusterDirectoryOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The service this directory tracks.</summary>
    public string Service { get; }

    /// <summary>The current snapshot.</summary>
    public EndpointSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Raised after every new snapshot, on the thread that caused it.</summary>
    public event Action<EndpointSnapshot>? SnapshotChanged;

    /// <summary>Completes when the next snapshot is published.</summary>
    public Task WaitForChangeAsync() => Volatile.Read(ref _changed).Task;

    /// <summary>Completes when the first instance set has been applied.</summary>
    public Task FirstSetApplied => _firstSet.Task;

    /// <summary>
    /// Why the resolver refused to go on (a registry that rejected this client's credentials), or
    /// null while it watches. Calls that find no ready instance fail with it at once.
    /// </summary>
    public Status? Refusal => _refusal is Status refusal ? refusal : null;

    /// <summary>Completes when the watch has ended for good (see <see cref="Refusal"/>).</summary>
    public Task WatchEnded => _watchEnded.Task;

    /// <summary>Starts watching the resolver in the background.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _watchTask ??= Task.Run(() => WatchAsync(_stopping.Token));
        }
    }

    /// <summary>Applies one instance set: connects to new instances, drops the ones that left, publishes a snapshot.</summary>
    public void Apply(InstanceSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        List<ClusterEndpoint> removed = [];
        List<ClusterEndpoint> added = [];
        var instanceChanged = false;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            if (set.IsStale)
            {
                ClusterLog.StaleInstanceSet(_logger, Service, set.Version);
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var instance in set.Instances)
            {
                if (!instance.Serves(Service) && instance.Services.Length > 0)
                {
                    continue;
                }
                if (!seen.Add(instance.InstanceId))
                {
                    continue;
                }
                var address = ChooseAddress(instance, out var factory);
                if (address is null || factory is null)
                {
                    ClusterLog.NoUsableAddress(_logger, Service, instance.InstanceId);
                    seen.Remove(instance.InstanceId);
                    continue;
                }
                if (_byInstanceId.TryGetValue(instance.InstanceId, out var existing))
                {
                    if (existing.Address == address)
                    {
                        // Same connection; new facts that pickers use (weight, zone) mean a rebuild.
                        instanceChanged |= AffectsPicking(existing.Instance, instance);
                        existing.Instance = instance;
                        continue;
                    }
                    _byInstanceId.Remove(instance.InstanceId);
                    removed.Add(existing);
                }
                var endpoint = CreateEndpoint(instance, address, factory);
                if (endpoint is null)
                {
                    seen.Remove(instance.InstanceId);
                    continue;
                }
                _byInstanceId[instance.InstanceId] = endpoint;
                added.Add(endpoint);
            }
            foreach (var (id, endpoint) in _byInstanceId.ToArray())
            {
                if (!seen.Contains(id))
                {
                    _byInstanceId.Remove(id);
                    removed.Add(endpoint);
                }
            }
            _hasSet = true;
        }
        foreach (var endpoint in removed)
        {
            Retire(endpoint);
        }
        Publish(force: instanceChanged);
        _firstSet.TrySetResult();
        // Dial outside the lock: a connection may report its new state from inside ConnectAsync.
        foreach (var endpoint in added)
        {
            if (endpoint.Connection.State is ConnectionState.Idle)
            {
                _ = ConnectAsync(endpoint.Connection);
            }
        }
    }

    /// <summary>Rebuilds and publishes the snapshot (after an ejection, a health verdict or a state change).</summary>
    public void Refresh() => Publish(force: false);

    private void Publish(bool force)
    {
        EndpointSnapshot snapshot;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            var all = ImmutableArray.CreateBuilder<ClusterEndpoint>(_byInstanceId.Count);
            var ready = ImmutableArray.CreateBuilder<ClusterEndpoint>(_byInstanceId.Count);
            foreach (var endpoint in _byInstanceId.Values)
            {
                all.Add(endpoint);
                if (endpoint.IsPickable)
                {
                    ready.Add(endpoint);
                }
            }
            var previous = _snapshot;
            if (!force && previous.HasInstanceSet == _hasSet && SameEndpoints(previous.Ready, ready) && SameEndpoints(previous.All, all))
            {
                return;
            }
            snapshot = new EndpointSnapshot(++_version, ready.DrainToImmutable(), all.DrainToImmutable(), _hasSet);
            Volatile.Write(ref _snapshot, snapshot);
        }
        SnapshotChanged?.Invoke(snapshot);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        ClusterEndpoint[] endpoints;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            endpoints = [.. _byInstanceId.Values];
            _byInstanceId.Clear();
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_watchTask is not null)
        {
            try
            {
                await _watchTask.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
        foreach (var endpoint in endpoints)
        {
            endpoint.Connection.StateChanged -= OnStateChanged;
            if (endpoint.LoadWatcher is { } watcher)
            {
                await watcher.DisposeAsync().ConfigureAwait(false);
            }
            await DisposeConnectionAsync(endpoint).ConfigureAwait(false);
        }
        _firstSet.TrySetCanceled();
    }

    private static bool AffectsPicking(ServiceInstance before, ServiceInstance after)
        => before.Weight != after.Weight || !string.Equals(before.Zone, after.Zone, StringComparison.Ordinal) || before.StartTime != after.StartTime;

    private static bool SameEndpoints(ImmutableArray<ClusterEndpoint> a, ImmutableArray<ClusterEndpoint>.Builder b)
    {
        if (a.Length != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Length; i++)
        {
            if (!ReferenceEquals(a[i], b[i]))
            {
                return false;
            }
        }
        return true;
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var set in _resolver.WatchAsync(Service, cancellationToken).ConfigureAwait(false))
            {
                Apply(set);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception ex)
        {
            // The resolver contract says it never ends on a transient failure: this one is final
            // (a refused credential); keep what we have and let calls with nothing ready say why.
            ClusterLog.WatchFailed(_logger, Service, ex);
            _refusal = ex is RpcException rpc
                ? new Status(rpc.StatusCode, $"the resolver of {Service} was refused: {rpc.Status.Detail}")
                : new Status(StatusCode.Unavailable, $"the resolver of {Service} failed: {ex.Message}");
            _watchEnded.TrySetResult();
        }
    }

    private Uri? ChooseAddress(ServiceInstance instance, out IConnectionFactory? factory)
    {
        foreach (var transport in _options.Transports)
        {
            var address = instance.AddressFor(transport);
            if (address is null)
            {
                continue;
            }
            foreach (var candidate in _factories)
            {
                if (candidate.Supports(address.Scheme))
                {
                    factory = candidate;
                    return address;
                }
            }
        }
        factory = null;
        return null;
    }
}
