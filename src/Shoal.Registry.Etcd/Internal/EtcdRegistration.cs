using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Shoal.Client.Discovery.Internal;
using Shoal.Instances;

namespace Shoal.Registry.Etcd.Internal;

/// <summary>
/// One registration in etcd: a lease and one key per service attached to it. The round trips are
/// etcd's (grant + put in one transaction, a keepalive that answers TTL 0 for a lost lease, revoke);
/// the life cycle is <see cref="LeasedRegistration"/>'s.
/// </summary>
internal sealed class EtcdRegistration(EtcdServiceRegistry owner, ServiceInstance instance, TimeSpan ttl)
    : LeasedRegistration(instance, ttl, EtcdServiceRegistry.Kind, owner.Time, owner.Logger)
{
    private readonly ByteString _value = ByteString.CopyFrom(EtcdInstanceDocument.Serialize(instance));

    /// <summary>Grants a lease and puts every key under it in one transaction.</summary>
    protected override async Task<(long LeaseId, TimeSpan Ttl)> AcquireAsync(CancellationToken cancellationToken)
    {
        // etcd counts leases in whole seconds and raises very short ones to its minimum.
        var seconds = Math.Max(1, (long)Math.Ceiling(RequestedTtl.TotalSeconds));
        var grant = await owner.Connection.CallAsync(
            (i, o) => owner.Connection.Lease(i).LeaseGrantAsync(new LeaseGrantRequest { TTL = seconds }, o).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(grant.Error))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"etcd refused the lease: {grant.Error}"));
        }
        var txn = new TxnRequest();
        foreach (var service in Instance.Services)
        {
            txn.Success.Add(new RequestOp
            {
                RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(owner.KeyFor(service, Instance.InstanceId)), Value = _value, Lease = grant.ID },
            });
        }
        await owner.Connection.CallAsync((i, o) => owner.Connection.Kv(i).TxnAsync(txn, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return (grant.ID, TimeSpan.FromSeconds(grant.TTL > 0 ? grant.TTL : seconds));
    }

    /// <summary>One keepalive round trip on the member in use; false when etcd no longer knows the lease.</summary>
    protected override async Task<bool> RenewAsync(long leaseId, CancellationToken cancellationToken)
    {
        var connection = owner.Connection;
        var index = connection.Current;
        try
        {
            // A keepalive that waits longer than a third of the TTL would let the lease run out
            // while a hung member holds it; give up sooner and try the next member.
            using var call = connection.Lease(index).LeaseKeepAlive(connection.Options(cancellationToken, Ttl / 3));
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = leaseId }, cancellationToken).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "etcd closed the keepalive stream without answering."));
            }
            var response = call.ResponseStream.Current;
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return response.TTL > 0;
        }
        catch (RpcException ex) when (EtcdConnection.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            connection.MoveOff(index);
            throw;
        }
    }

    protected override async Task ReleaseAsync(long leaseId)
    {
        try
        {
            await owner.Connection.CallAsync(
                (i, o) => owner.Connection.Lease(i).LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseId }, o).ResponseAsync,
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException { StatusCode: not StatusCode.NotFound } or ObjectDisposedException or InvalidOperationException)
        {
            // Best effort: the lease expires by itself if etcd cannot be told.
            RegistryLog.DeregisterFailed(owner.Logger, EtcdServiceRegistry.Kind, Instance.InstanceId, ex);
        }
        catch (RpcException)
        {
            // Already gone: nothing to revoke.
        }
    }

    protected override void Forget() => owner.Forget(this);

    protected override Backoff NewBackoff(TimeSpan max) => owner.NewBackoff(max);
}
