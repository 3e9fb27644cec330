using Grpc.Core;
using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Instances;

namespace Shoal.Client.Discovery.Internal;

/// <summary>
/// One lease in the embedded registry: Register, KeepAlive (whose "not found" makes the base
/// register again) and Deregister round trips; the life cycle is <see cref="LeasedRegistration"/>'s.
/// </summary>
internal sealed class EmbeddedRegistration(EmbeddedRegistryClient owner, ServiceInstance instance, TimeSpan ttl)
    : LeasedRegistration(instance, ttl, EmbeddedRegistryClient.Kind, owner.Time, owner.Logger)
{
    private readonly Instance _message = InstanceMessages.ToMessage(instance);

    protected override async Task<(long LeaseId, TimeSpan Ttl)> AcquireAsync(CancellationToken cancellationToken)
    {
        var response = await owner.Client.RegisterAsync(
            new RegisterRequest { Instance = _message, TtlMs = (long)Math.Ceiling(RequestedTtl.TotalMilliseconds) },
            owner.Call(cancellationToken)).ConfigureAwait(false);
        return (response.LeaseId, response.TtlMs > 0 ? TimeSpan.FromMilliseconds(response.TtlMs) : RequestedTtl);
    }

    protected override async Task<bool> RenewAsync(long leaseId, CancellationToken cancellationToken)
    {
        var response = await owner.Client.KeepAliveAsync(new KeepAliveRequest { LeaseId = leaseId }, owner.Call(cancellationToken, Ttl / 3)).ConfigureAwait(false);
        return response.Found;
    }

    protected override async Task ReleaseAsync(long leaseId)
    {
        try
        {
            await owner.Client.DeregisterAsync(new DeregisterRequest { LeaseId = leaseId }, owner.Call(CancellationToken.None)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or ObjectDisposedException or InvalidOperationException)
        {
            // Best effort: the lease expires by itself if the registry cannot be told.
            RegistryLog.DeregisterFailed(owner.Logger, EmbeddedRegistryClient.Kind, Instance.InstanceId, ex);
        }
    }

    protected override void Forget() => owner.Forget(this);

    protected override Backoff NewBackoff(TimeSpan max) => owner.NewBackoff(max);
}
