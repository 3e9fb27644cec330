using Grpc.Core;
using Shoal.Client;
using Shoal.Client.Admin.Protocol;

namespace Shoal.Server.Dashboard.Internal;

internal sealed partial class DashboardMonitor
{
    /// <summary>Whether the page offers to drain instances: only with the registry's token, which the hosts' admin calls require.</summary>
    public bool CanDrain => _options.RegistryToken is not null;

    /// <summary>The registered instance <paramref name="id"/>, or null.</summary>
    public InstanceView? Find(string id)
    {
        lock (_gate)
        {
            return _instances.TryGetValue(id, out var watched) ? watched.View : null;
        }
    }

    /// <summary>
    /// Asks the instance's host to drain (<c>shoal.admin.v1.Admin/Drain</c> with the registry's token):
    /// it deregisters and then stops as on SIGTERM, so it leaves the page once the registry no longer lists it.
    /// </summary>
    /// <exception cref="RpcException">The host refused or could not be reached.</exception>
    public async Task<DrainReply> DrainAsync(InstanceView instance, CancellationToken cancellationToken)
    {
        var channel = ShoalChannel.ForTarget(instance.Native);
        await using (channel.ConfigureAwait(false))
        {
            var client = new Admin.AdminClient(channel);
            return await client.DrainAsync(new DrainRequest { Reason = "dashboard" }, RegistryHeaders(),
                deadline: _time.GetUtcNow().UtcDateTime + _options.CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
