using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.Internal;

namespace Shoal.Client.Cluster.OutlierDetection;

/// <summary>
/// Ejects outliers from a <see cref="ClusterDirectory"/>'s snapshot: at once after
/// <see cref="OutlierEjectionOptions.ConsecutiveFailures"/> failures in a row, and every
/// <see cref="OutlierEjectionOptions.Interval"/> by success rate against the peers. An ejection
/// lasts base time × number of ejections (capped); when it ends the endpoint is restored and the
/// calls it then gets are its probe: one more run of failures ejects it again, for longer. Each
/// interval without failures lowers its ejection count by one.
/// </summary>
public sealed class OutlierDetector : IDisposable
{
    private readonly ClusterDirectory _directory;
    private readonly OutlierEjectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly HashSet<ClusterEndpoint> _watched = [];
    private readonly Action<ClusterEndpoint, int> _onFailed;
    private readonly ITimer? _timer;
    private bool _disposed;

    /// <summary>Starts watching <paramref name="directory"/>.</summary>
    public OutlierDetector(ClusterDirectory directory, OutlierEjectionOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _onFailed = OnFailed;
        if (!_options.Enabled)
        {
            return;
        }
        _directory.SnapshotChanged += OnSnapshot;
        OnSnapshot(_directory.Snapshot);
        _timer = _timeProvider.CreateTimer(_ => RunInterval(), null, _options.Interval, _options.Interval);
    }

    /// <summary>Ends ejections that are due and applies success-rate ejection; runs on the interval timer.</summary>
    public void RunInterval()
    {
        var changed = false;
        var now = _timeProvider.GetUtcNow();
        var all = _directory.Snapshot.All;
        var rates = new List<(ClusterEndpoint Endpoint, double Rate)>();
        foreach (var endpoint in all)
        {
            var (successes, failures) = endpoint.TakeIntervalCounts();
            if (endpoint.IsEjected)
            {
                if (now >= endpoint.EjectedUntil)
                {
                    endpoint.ResetConsecutiveFailures();
                    endpoint.Restore();
                    ClusterLog.Restored(_logger, _directory.Service, endpoint.ToString());
                    changed = true;
                }
                continue;
            }
            if (failures == 0)
            {
                endpoint.DecayEjectionCount();
            }
            var volume = successes + failures;
            if (volume > 0 && volume >= _options.SuccessRateRequestVolume)
            {
                rates.Add((endpoint, (double)successes / volume));
            }
        }
        if (_options.SuccessRateMinimumHosts > 0 && rates.Count >= _options.SuccessRateMinimumHosts)
        {
            var mean = rates.Average(r => r.Rate);
            var variance = rates.Average(r => (r.Rate - mean) * (r.Rate - mean));
            var threshold = mean - (_options.SuccessRateStdevFactor * Math.Sqrt(variance));
            foreach (var (endpoint, rate) in rates.OrderBy(r => r.Rate))
            {
                if (rate < threshold)
                {
                    changed |= TryEject(endpoint, "success rate", refresh: false);
                }
            }
        }
        if (changed)
        {
            _directory.Refresh();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var endpoint in _watched)
            {
                endpoint.Failed -= _onFailed;
            }
            _watched.Clear();
        }
        _directory.SnapshotChanged -= OnSnapshot;
        _timer?.Dispose();
    }

    private void OnSnapshot(EndpointSnapshot snapshot)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            var current = new HashSet<ClusterEndpoint>(snapshot.All);
            foreach (var endpoint in current)
            {
                if (_watched.Add(endpoint))
                {
                    endpoint.Failed += _onFailed;
                }
            }
            _watched.RemoveWhere(endpoint =>
            {
                if (current.Contains(endpoint))
                {
                    return false;
                }
                endpoint.Failed -= _onFailed;
                return true;
            });
        }
    }

    private void OnFailed(ClusterEndpoint endpoint, int consecutive)
    {
        if (_options.ConsecutiveFailures > 0 && consecutive >= _options.ConsecutiveFailures && !endpoint.IsEjected)
        {
            TryEject(endpoint, "consecutive failures", refresh: true);
        }
    }

    private bool TryEject(ClusterEndpoint endpoint, string reason, bool refresh)
    {
        lock (_gate)
        {
            if (_disposed || endpoint.IsEjected)
            {
                return false;
            }
            var all = _directory.Snapshot.All;
            var ejected = 0;
            foreach (var other in all)
            {
                if (other.IsEjected)
                {
                    ejected++;
                }
            }
            if ((ejected + 1) * 100 > all.Length * _options.MaxEjectionPercent)
            {
                ClusterLog.EjectionCapped(_logger, _directory.Service, endpoint.ToString(), ejected, all.Length, _options.MaxEjectionPercent);
                return false;
            }
            var multiplier = endpoint.EjectionCount + 1;
            var duration = TimeSpan.FromTicks(Math.Min(_options.BaseEjectionTime.Ticks * multiplier,
                Math.Max(_options.BaseEjectionTime.Ticks, _options.MaxEjectionTime.Ticks)));
            var until = _timeProvider.GetUtcNow() + duration;
            endpoint.Eject(until);
            ClusterMetrics.Ejected(_directory.Service, endpoint, reason);
            ClusterLog.Ejected(_logger, _directory.Service, endpoint.ToString(), until, reason, endpoint.EjectionCount);
        }
        if (refresh)
        {
            _directory.Refresh();
        }
        return true;
    }
}
