using Shoal.Client.Cluster.Endpoints.Internal;
using Shoal.Client.Cluster.Internal;
using Shoal.Connections;
using Shoal.Instances;

namespace Shoal.Client.Cluster.Endpoints;

/// <summary>Connection life cycle: create and connect, follow state, retire and dispose.</summary>
public sealed partial class ClusterDirectory
{
    private ClusterEndpoint? CreateEndpoint(ServiceInstance instance, Uri address, IConnectionFactory factory)
    {
        IConnection connection;
        try
        {
            connection = factory.Create(address);
        }
        catch (Exception ex)
        {
            ClusterLog.ConnectionCreateFailed(_logger, Service, address, ex);
            return null;
        }
        // Only the caller's own zone is counted (to spill over when it is overloaded); the other
        // endpoints' calls skip the shared counter.
        ZoneLoad? zone = null;
        if (!string.IsNullOrEmpty(_options.LocalZone) && string.Equals(instance.Zone, _options.LocalZone, StringComparison.Ordinal)
            && !_zones.TryGetValue(instance.Zone, out zone))
        {
            zone = new ZoneLoad(instance.Zone);
            _zones[instance.Zone] = zone;
        }
        var warmupStart = instance.StartTime != default ? instance.StartTime : _timeProvider.GetUtcNow();
        var endpoint = new ClusterEndpoint(instance, connection, _timeProvider, warmupStart, _options.EwmaDecay, zone)
        {
            Outcome = _options.Outcome,
            Redirector = _options.Redirector,
        };
        connection.StateChanged += OnStateChanged;
        ClusterLog.EndpointAdded(_logger, Service, instance.InstanceId, address);
        if (_options.LoadReporter is { } reporter)
        {
            // Started here, under the directory's lock, so that disposal (which takes the lock
            // to collect the endpoints) always finds and stops it.
            endpoint.LoadWatcher = new ServerLoadWatcher(Service, endpoint, reporter, _timeProvider, _options.Random, _logger);
            endpoint.LoadWatcher.Start();
        }
        return endpoint;
    }

    private void OnStateChanged(IConnection connection, ConnectionState state)
    {
        ClusterLog.ConnectionStateChanged(_logger, Service, connection.Address, state);
        if (state is ConnectionState.Idle && !_stopping.IsCancellationRequested)
        {
            // An idle connection of a current instance is dialled again, so it can become ready.
            _ = ConnectAsync(connection);
        }
        Refresh();
    }

    private async Task ConnectAsync(IConnection connection)
    {
        try
        {
            await connection.ConnectAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Disposed while connecting.
        }
        catch (Exception ex)
        {
            // The connection reports TransientFailure itself and retries with backoff.
            ClusterLog.ConnectFailed(_logger, Service, connection.Address, ex);
        }
    }

    /// <summary>Takes a removed instance out of rotation; its connection is disposed once its calls finish or the grace period ends.</summary>
    private void Retire(ClusterEndpoint endpoint)
    {
        endpoint.Connection.StateChanged -= OnStateChanged;
        ClusterLog.EndpointRemoved(_logger, Service, endpoint.Instance.InstanceId, endpoint.Address);
        if (endpoint.LoadWatcher is { } watcher)
        {
            _ = watcher.DisposeAsync().AsTask();
        }
        if (endpoint.InFlight == 0)
        {
            _ = DisposeConnectionAsync(endpoint);
            return;
        }
        endpoint.Idle += e => _ = DisposeConnectionAsync(e);
        ITimer? timer = null;
        timer = _timeProvider.CreateTimer(_ =>
        {
            timer?.Dispose();
            _ = DisposeConnectionAsync(endpoint);
        }, null, _options.RemovedConnectionGrace, Timeout.InfiniteTimeSpan);
        // The idle event may have fired before it was subscribed.
        if (endpoint.InFlight == 0)
        {
            _ = DisposeConnectionAsync(endpoint);
        }
    }

    private async Task DisposeConnectionAsync(ClusterEndpoint endpoint)
    {
        if (!endpoint.TryMarkDisposed())
        {
            return;
        }
        try
        {
            await endpoint.Connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ClusterLog.ConnectionDisposeFailed(_logger, Service, endpoint.Address, ex);
        }
    }
}
