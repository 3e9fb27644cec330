using Shoal.Autoscaling.Hosting.Internal;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Autoscaling.Hosting;

public sealed partial class RegistryLoadSignalSource
{
    private async Task WatchRegistryAsync(CancellationToken cancellationToken)
    {
        var delay = _options.ReconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            // The resolver retries transient failures itself; this loop only covers one that gives up.
            var resolver = _resolverFactory.Create(_target);
            try
            {
                await foreach (var set in resolver.WatchAsync(Service, cancellationToken).ConfigureAwait(false))
                {
                    delay = _options.ReconnectDelay;
                    if (!set.IsStale)
                    {
                        await ReconcileAsync(set).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LoadSignalLog.ResolverFailed(_logger, e, Service, delay);
            }
            finally
            {
                await resolver.DisposeAsync().ConfigureAwait(false);
            }
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    /// <summary>Starts a watcher for every new instance and stops the watchers of the ones that left.</summary>
    private async Task ReconcileAsync(InstanceSet set)
    {
        var current = set.Instances.ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
        var gone = new List<(string Id, InstanceLoadWatcher Watcher)>();
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }
            foreach (var (id, watcher) in _watchers)
            {
                if (!current.ContainsKey(id))
                {
                    gone.Add((id, watcher));
                }
            }
            foreach (var (id, _) in gone)
            {
                _watchers.Remove(id);
            }
            foreach (var (id, instance) in current)
            {
                if (_watchers.ContainsKey(id))
                {
                    continue;
                }
                var address = instance.AddressFor(TransportKind.Native) ?? instance.AddressFor(TransportKind.Grpc);
                var factory = address is null ? null : _connectionFactories.FirstOrDefault(f => f.Supports(address.Scheme));
                if (address is null || factory is null)
                {
                    LoadSignalLog.NoAddress(_logger, id);
                    continue;
                }
                LoadSignalLog.Watching(_logger, id, address);
                _watchers[id] = new InstanceLoadWatcher(id, address, factory, Aggregator, _options, _time, _logger);
            }
        }
        foreach (var (id, watcher) in gone)
        {
            LoadSignalLog.Left(_logger, id);
            await watcher.DisposeAsync().ConfigureAwait(false);
        }
    }
}
