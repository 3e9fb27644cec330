using System.Collections.Immutable;
using System.Threading.Channels;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Shoal.Discovery;
using Shoal.Instances;
using Shoal.Registry.Etcd.Internal;
using Shoal.Registry.Internal;

namespace Shoal.Registry.Etcd;

/// <content>The watch loop: list at R, watch from R+1, resume from the last revision after a break.</content>
public sealed partial class EtcdServiceRegistry
{
    private static readonly Metadata RequireLeader = new() { { "hasleader", "true" } };

    private async Task PumpWatchAsync(string service, ChannelWriter<InstanceSet> writer, CancellationToken cancellationToken)
    {
        var backoff = NewBackoff();
        var prefix = ServicePrefix(service);
        var rangeEnd = RangeEnd(prefix);
        var instances = new Dictionary<string, ServiceInstance>(StringComparer.Ordinal);
        InstanceSet? last = null;
        long revision = 0;
        var needList = true;
        var stale = false;

        void Emit()
        {
            last = new InstanceSet(service, revision, [.. instances.Values]);
            writer.TryWrite(last);
            if (stale)
            {
                stale = false;
                RegistryLog.WatchRecovered(_logger, Kind, service);
            }
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var index = _connection.Current;
            try
            {
                if (needList)
                {
                    var range = await _connection.CallAsync(
                        (i, o) => _connection.Kv(i).RangeAsync(new RangeRequest { Key = prefix, RangeEnd = rangeEnd }, o).ResponseAsync,
                        cancellationToken).ConfigureAwait(false);
                    instances.Clear();
                    foreach (var kv in range.Kvs)
                    {
                        Apply(instances, kv.Key, kv.Value, delete: false);
                    }
                    revision = range.Header.Revision;
                    needList = false;
                    Emit();
                    backoff.Reset();
                    index = _connection.Current;
                }

                // "hasleader": a member cut off from the leader cancels the watch instead of
                // keeping it open and silent, so the watcher moves to another member.
                using var call = _connection.Watch(index).Watch(RequireLeader, cancellationToken: cancellationToken);
                await call.RequestStream.WriteAsync(new WatchRequest
                {
                    CreateRequest = new WatchCreateRequest { Key = prefix, RangeEnd = rangeEnd, StartRevision = revision + 1, ProgressNotify = true },
                }, cancellationToken).ConfigureAwait(false);

                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    var response = call.ResponseStream.Current;
                    if (response.CompactRevision > 0)
                    {
                        // The revision to resume from is gone: list again.
                        RegistryLog.WatchCompacted(_logger, Kind, service, response.CompactRevision);
                        needList = true;
                        break;
                    }
                    if (response.Canceled)
                    {
                        throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, $"etcd cancelled the watch: {response.CancelReason}"));
                    }
                    if (response.Created)
                    {
                        backoff.Reset();
                        if (stale)
                        {
                            // Connected again; nothing was missed since the watch resumes at revision + 1.
                            Emit();
                        }
                        continue;
                    }
                    if (response.Events.Count == 0)
                    {
                        // A progress notification: every change up to this revision has been sent.
                        revision = Math.Max(revision, response.Header.Revision);
                        continue;
                    }
                    foreach (var change in response.Events)
                    {
                        Apply(instances, change.Kv.Key, change.Kv.Value, delete: change.Type == Mvccpb.Event.Types.EventType.Delete);
                        revision = Math.Max(revision, change.Kv.ModRevision);
                    }
                    Emit();
                }
                if (needList)
                {
                    continue;
                }
                throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "etcd ended the watch stream."));
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _connection.MoveOff(index);
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

    private void Apply(Dictionary<string, ServiceInstance> instances, ByteString key, ByteString value, bool delete)
    {
        var name = key.ToStringUtf8();
        if (delete)
        {
            instances.Remove(name);
            return;
        }
        try
        {
            instances[name] = EtcdInstanceDocument.Deserialize(value.Span);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException)
        {
            // Someone else's value under our prefix: skip it rather than stop watching.
            instances.Remove(name);
            EtcdLog.BadValue(_logger, name, ex);
        }
    }
}
