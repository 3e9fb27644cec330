using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Shoal.Discovery;
using Shoal.Instances;
using Shoal.Registry.Internal;

namespace Shoal.Registry.Etcd.Internal;

/// <summary>
/// One registration in etcd: a lease and one key per service attached to it. A background loop
/// sends a keepalive every third of the TTL; when etcd answers that the lease is gone (TTL 0) it
/// grants a new lease and puts the keys again; while no member answers it backs off and retries.
/// </summary>
internal sealed class EtcdRegistration : IRegistration
{
    private readonly EtcdServiceRegistry _owner;
    private readonly TimeSpan _requestedTtl;
    private readonly ByteString _value;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private TimeSpan _ttl;
    private long _leaseId;
    private DateTimeOffset _lastRenewed;
    private volatile bool _held;
    private int _disposed;

    public EtcdRegistration(EtcdServiceRegistry owner, ServiceInstance instance, TimeSpan ttl)
    {
        _owner = owner;
        Instance = instance;
        _requestedTtl = ttl;
        _ttl = ttl;
        _value = ByteString.CopyFrom(EtcdInstanceDocument.Serialize(instance));
    }

    public ServiceInstance Instance { get; }

    public bool IsLeaseHeld => _held;

    internal long LeaseId => Interlocked.Read(ref _leaseId);

    /// <summary>Grants a lease and puts every key under it in one transaction.</summary>
    public async Task GrantAndPutAsync(CancellationToken cancellationToken)
    {
        // etcd counts leases in whole seconds and raises very short ones to its minimum.
        var seconds = Math.Max(1, (long)Math.Ceiling(_requestedTtl.TotalSeconds));
        var grant = await _owner.Connection.CallAsync(
            (i, o) => _owner.Connection.Lease(i).LeaseGrantAsync(new LeaseGrantRequest { TTL = seconds }, o).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(grant.Error))
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, $"etcd refused the lease: {grant.Error}"));
        }
        var txn = new TxnRequest();
        foreach (var service in Instance.Services)
        {
            txn.Success.Add(new RequestOp
            {
                RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(_owner.KeyFor(service, Instance.InstanceId)), Value = _value, Lease = grant.ID },
            });
        }
        await _owner.Connection.CallAsync((i, o) => _owner.Connection.Kv(i).TxnAsync(txn, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        _ttl = TimeSpan.FromSeconds(grant.TTL > 0 ? grant.TTL : seconds);
        Interlocked.Exchange(ref _leaseId, grant.ID);
        _lastRenewed = _owner.Time.GetUtcNow();
        _held = true;
        RegistryLog.Registered(_owner.Logger, EtcdServiceRegistry.Kind, Instance.InstanceId, grant.ID);
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops the keepalive without revoking, as a process that died would.</summary>
    internal async Task StopKeepAliveAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _owner.Forget(this);
        await StopKeepAliveAsync().ConfigureAwait(false);
        var leaseId = Interlocked.Exchange(ref _leaseId, 0);
        _held = false;
        if (leaseId != 0)
        {
            try
            {
                await _owner.Connection.CallAsync(
                    (i, o) => _owner.Connection.Lease(i).LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseId }, o).ResponseAsync,
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RpcException { StatusCode: not StatusCode.NotFound } or ObjectDisposedException or InvalidOperationException)
            {
                // Best effort: the lease expires by itself if etcd cannot be told.
                RegistryLog.DeregisterFailed(_owner.Logger, EtcdServiceRegistry.Kind, Instance.InstanceId, ex);
            }
            catch (RpcException)
            {
                // Already gone: nothing to revoke.
            }
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = _owner.NewBackoff(_ttl / 3);
        // The lease was just granted (or the first attempt failed): wait before the first renewal.
        var delay = LeaseId == 0 ? backoff.Next() : _ttl / 3;
        while (true)
        {
            try
            {
                await Task.Delay(delay, _owner.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                if (LeaseId == 0)
                {
                    await GrantAndPutAsync(cancellationToken).ConfigureAwait(false);
                }
                else if (!await KeepAliveOnceAsync(cancellationToken).ConfigureAwait(false))
                {
                    RegistryLog.LeaseLost(_owner.Logger, EtcdServiceRegistry.Kind, Instance.InstanceId);
                    RegistryMetrics.Reregistrations.Add(1, RegistryMetrics.Kind(EtcdServiceRegistry.Kind));
                    Interlocked.Exchange(ref _leaseId, 0);
                    _held = false;
                    // Grant a new lease at once.
                    delay = TimeSpan.Zero;
                    continue;
                }
                backoff.Reset();
                delay = _ttl / 3;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                RegistryLog.KeepAliveFailed(_owner.Logger, EtcdServiceRegistry.Kind, Instance.InstanceId, ex);
                RegistryMetrics.KeepAliveFailures.Add(1, RegistryMetrics.Kind(EtcdServiceRegistry.Kind));
                if (_owner.Time.GetUtcNow() - _lastRenewed >= _ttl)
                {
                    _held = false;
                }
                delay = backoff.Next();
            }
        }
    }

    /// <summary>One keepalive round trip on the member in use; false when etcd no longer knows the lease.</summary>
    private async Task<bool> KeepAliveOnceAsync(CancellationToken cancellationToken)
    {
        var connection = _owner.Connection;
        var index = connection.Current;
        try
        {
            // A keepalive that waits longer than a third of the TTL would let the lease run out
            // while a hung member holds it; give up sooner and try the next member.
            using var call = connection.Lease(index).LeaseKeepAlive(connection.Options(cancellationToken, _ttl / 3));
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = LeaseId }, cancellationToken).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "etcd closed the keepalive stream without answering."));
            }
            var response = call.ResponseStream.Current;
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            if (response.TTL <= 0)
            {
                return false;
            }
            _lastRenewed = _owner.Time.GetUtcNow();
            _held = true;
            return true;
        }
        catch (RpcException ex) when (EtcdConnection.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            connection.MoveOff(index);
            throw;
        }
    }
}
