using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Shoal.Client.Discovery.Internal;
using Shoal.Discovery;
using Shoal.Instances;
using Shoal.Registry.Etcd.Internal;

namespace Shoal.Registry.Etcd;

/// <content>One watch stream: list at R, watch from R+1, resume from the last revision after a break.</content>
public sealed partial class EtcdServiceRegistry
{
    private static readonly Metadata RequireLeader = new() { { "hasleader", "true" } };

    /// <summary>
    /// One watch stream: list first when needed, then watch from the revision after the last one
    /// seen. Returns (to be started again at once) when the revision was compacted; throws on any
    /// failure after moving off the member in use.
    /// </summary>
    private async Task StreamAsync(EtcdWatchState state, WatchSink sink, CancellationToken cancellationToken)
    {
        var index = _connection.Current;
        try
        {
            if (state.NeedList)
            {
                var range = await _connection.CallAsync(
                    (i, o) => _connection.Kv(i).RangeAsync(new RangeRequest { Key = state.Prefix, RangeEnd = state.RangeEnd }, o).ResponseAsync,
                    cancellationToken).ConfigureAwait(false);
                state.Instances.Clear();
                foreach (var kv in range.Kvs)
                {
                    Apply(state.Instances, kv.Key, kv.Value, delete: false);
                }
                state.Revision = range.Header.Revision;
                state.NeedList = false;
                sink.Emit(state.ToSet());
                index = _connection.Current;
            }

            // "hasleader": a member cut off from the leader cancels the watch instead of
            // keeping it open and silent, so the watcher moves to another member.
            using var call = _connection.Watch(index).Watch(RequireLeader, cancellationToken: cancellationToken);
            await call.RequestStream.WriteAsync(new WatchRequest
            {
                CreateRequest = new WatchCreateRequest { Key = state.Prefix, RangeEnd = state.RangeEnd, StartRevision = state.Revision + 1, ProgressNotify = true },
            }, cancellationToken).ConfigureAwait(false);

            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var response = call.ResponseStream.Current;
                if (response.CompactRevision > 0)
                {
                    // The revision to resume from is gone: list again.
                    RegistryLog.WatchCompacted(_logger, Kind, state.Service, response.CompactRevision);
                    state.NeedList = true;
                    return;
                }
                if (response.Canceled)
                {
                    throw new RpcException(new Status(StatusCode.Unavailable, $"etcd cancelled the watch: {response.CancelReason}"));
                }
                if (response.Created)
                {
                    sink.Connected();
                    if (sink.IsStale)
                    {
                        // Connected again; nothing was missed since the watch resumes at revision + 1.
                        sink.Emit(state.ToSet());
                    }
                    continue;
                }
                if (response.Events.Count == 0)
                {
                    // A progress notification: every change up to this revision has been sent.
                    state.Revision = Math.Max(state.Revision, response.Header.Revision);
                    continue;
                }
                foreach (var change in response.Events)
                {
                    Apply(state.Instances, change.Kv.Key, change.Kv.Value, delete: change.Type == Mvccpb.Event.Types.EventType.Delete);
                    state.Revision = Math.Max(state.Revision, change.Kv.ModRevision);
                }
                sink.Emit(state.ToSet());
            }
            throw new RpcException(new Status(StatusCode.Unavailable, "etcd ended the watch stream."));
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _connection.MoveOff(index);
            throw;
        }
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
