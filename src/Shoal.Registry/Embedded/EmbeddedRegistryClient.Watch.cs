using System.Collections.Immutable;
using System.Threading.Channels;
using Grpc.Core;
using Shoal.Discovery;
using Shoal.Instances;
using Shoal.Registry.Internal;
using Shoal.Registry.Protocol;

namespace Shoal.Registry.Embedded;

/// <content>The watch loop: stream, reconnect with backoff, keep the last set while the registry is down.</content>
public sealed partial class EmbeddedRegistryClient
{
    private async Task PumpWatchAsync(string service, ChannelWriter<InstanceSet> writer, CancellationToken cancellationToken)
    {
        var backoff = NewBackoff();
        InstanceSet? last = null;
        InstanceSet? carried = null;
        var cache = new InstanceCache();
        var lastServerVersion = -1L;
        var lastRegistryId = "";
        var stale = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var call = _client.Watch(new WatchRequest { Service = service }, cancellationToken: cancellationToken);
                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    var message = call.ResponseStream.Current;
                    if (message.RegistryId != lastRegistryId)
                    {
                        // Another run of the registry: its counter is not comparable with the last one.
                        lastRegistryId = message.RegistryId;
                        lastServerVersion = -1;
                    }
                    var set = ToSet(service, message, last, carried, cache, ref lastServerVersion);
                    if (!message.Recovering)
                    {
                        carried = null;
                    }
                    backoff.Reset();
                    if (stale)
                    {
                        stale = false;
                        RegistryLog.WatchRecovered(_logger, Kind, service);
                    }
                    last = set;
                    writer.TryWrite(set);
                }
                // A stream that ends without an error means the registry is stopping.
                throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "The registry ended the watch stream."));
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                carried ??= last;
                if (!stale)
                {
                    stale = true;
                    RegistryLog.WatchFailed(_logger, Kind, service, last?.Instances.Length ?? 0, ex);
                    RegistryMetrics.WatchFailures.Add(1, RegistryMetrics.Kind(Kind));
                    writer.TryWrite((last ?? InstanceSet.Empty(service)) with { IsStale = true });
                }
            }
            try
            {
                await Task.Delay(backoff.Next(), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        writer.TryComplete();
    }

    /// <summary>
    /// Builds the set a consumer sees from one message. Versions never go back, even when the
    /// registry restarted and counts from zero again. After a broken stream, a set sent while the
    /// registry is recovering (it restarted and its servers are still registering again) is merged
    /// with the set from before the break, so instances that have not come back yet stay until the
    /// registry's grace period ends.
    /// </summary>
    private static InstanceSet ToSet(string service, InstanceSetMessage message, InstanceSet? last, InstanceSet? carried, InstanceCache cache, ref long lastServerVersion)
    {
        var instances = cache.Convert(message.Instances);
        if (message.Recovering && carried is not null)
        {
            var seen = new HashSet<string>(instances.Select(i => i.InstanceId), StringComparer.Ordinal);
            foreach (var previous in carried.Instances)
            {
                if (seen.Add(previous.InstanceId))
                {
                    instances.Add(previous);
                }
            }
        }

        var lastVersion = last?.Version ?? 0;
        long version;
        if (message.Version == lastServerVersion && last is not null)
        {
            version = lastVersion;
        }
        else if (message.Version > lastServerVersion && lastServerVersion >= 0)
        {
            version = lastVersion + (message.Version - lastServerVersion);
        }
        else
        {
            version = Math.Max(message.Version, lastVersion + 1);
        }
        lastServerVersion = message.Version;
        return new InstanceSet(service, version, instances.ToImmutable());
    }
}
