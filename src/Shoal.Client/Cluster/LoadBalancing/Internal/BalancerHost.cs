using System.Collections.Immutable;
using Shoal.Client.Cluster.Endpoints;

namespace Shoal.Client.Cluster.LoadBalancing.Internal;

/// <summary>
/// Keeps the current picker of one cluster: on every snapshot (and on warm-up ticks) it computes
/// effective weights, splits off the local zone, asks the policy for pickers and publishes the
/// result with a volatile write. Rebuilds are serialised by a lock; picks never see it.
/// </summary>
internal sealed class BalancerHost : IDisposable
{
    private readonly ILoadBalancer _balancer;
    private readonly LoadBalancingOptions _options;
    private readonly string _localZone;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private EndpointSnapshot _snapshot = EndpointSnapshot.Empty;
    private IPicker _current = QueuePicker.Instance;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _warmupTimer;
    private bool _disposed;

    public BalancerHost(ILoadBalancer balancer, LoadBalancingOptions options, string? localZone, TimeProvider timeProvider)
    {
        _balancer = balancer;
        _options = options;
        _localZone = localZone ?? "";
        _timeProvider = timeProvider;
    }

    /// <summary>The picker to use now.</summary>
    public IPicker Current => Volatile.Read(ref _current);

    /// <summary>Completes when the next picker is published.</summary>
    public Task WaitForChangeAsync() => Volatile.Read(ref _changed).Task;

    public void Update(EndpointSnapshot snapshot)
    {
        lock (_gate)
        {
            if (_disposed || snapshot.Version < _snapshot.Version)
            {
                return;
            }
            _snapshot = snapshot;
            Rebuild();
        }
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _warmupTimer?.Dispose();
            _warmupTimer = null;
        }
    }

    private void OnWarmupTick()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            Rebuild();
        }
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private void Rebuild()
    {
        var ready = _snapshot.Ready;
        if (ready.IsEmpty)
        {
            Volatile.Write(ref _current, QueuePicker.Instance);
            return;
        }
        var all = Weigh(ready, zone: null, out var warming)!;
        IPicker picker = _balancer.CreatePicker(all);
        if (_options.PreferLocalZone && _localZone.Length > 0)
        {
            var local = Weigh(ready, _localZone, out _);
            if (local is not null && local.Count < all.Count && IsLocalZoneHealthy(local.Count))
            {
                picker = new ZoneAwarePicker(_balancer.CreatePicker(local), picker, local[0].ZoneLoad,
                    local.Count, _options.LocalZoneMaxInFlightPerEndpoint);
            }
        }
        Volatile.Write(ref _current, picker);
        ScheduleWarmupTick(warming);
    }

    private bool IsLocalZoneHealthy(int localReady)
    {
        var known = 0;
        foreach (var endpoint in _snapshot.All)
        {
            if (string.Equals(endpoint.Zone, _localZone, StringComparison.Ordinal))
            {
                known++;
            }
        }
        return known > 0 && localReady >= known * _options.LocalZoneMinReadyShare;
    }

    private WeightedEndpoints? Weigh(ImmutableArray<ClusterEndpoint> ready, string? zone, out bool warming)
    {
        warming = false;
        var now = _timeProvider.GetUtcNow();
        var endpoints = new List<ClusterEndpoint>(ready.Length);
        var weights = new List<int>(ready.Length);
        foreach (var endpoint in ready)
        {
            if (zone is not null && !string.Equals(endpoint.Zone, zone, StringComparison.Ordinal))
            {
                continue;
            }
            var weight = endpoint.Instance.Weight;
            if (weight <= 0)
            {
                continue;
            }
            var factor = Warmup.Factor(now - endpoint.WarmupStart, _options.WarmupPeriod, _options.WarmupMinWeightPercent);
            warming |= factor < 1.0;
            endpoints.Add(endpoint);
            weights.Add(Math.Max(1, (int)Math.Round(weight * factor)));
        }
        if (endpoints.Count == 0)
        {
            // Every candidate has weight 0: better to spread calls evenly than to refuse them.
            return zone is null ? WeightedEndpoints.Uniform(ready) : null;
        }
        return new WeightedEndpoints([.. endpoints], [.. weights]);
    }

    private void ScheduleWarmupTick(bool warming)
    {
        _warmupTimer?.Dispose();
        _warmupTimer = null;
        if (!warming)
        {
            return;
        }
        var interval = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, _options.WarmupPeriod.Ticks / 20));
        _warmupTimer = _timeProvider.CreateTimer(_ => OnWarmupTick(), null, interval, Timeout.InfiniteTimeSpan);
    }
}
