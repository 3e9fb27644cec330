using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Shoal.Server.Internal;

/// <summary>
/// Applies <see cref="ShoalServerOptions.InlineSocketScheduling"/> and
/// <see cref="ShoalServerOptions.WaitForDataBeforeReceiveBuffer"/> to Kestrel's socket transport. Only
/// changes Kestrel's defaults when Shoal's differ; an application's own configuration of the transport
/// registered after this one wins.
/// </summary>
internal sealed class ShoalSocketTransportSetup(IOptions<ShoalServerOptions> options) : IConfigureOptions<SocketTransportOptions>
{
    public void Configure(SocketTransportOptions transport)
    {
        if (options.Value.InlineSocketScheduling)
        {
            transport.UnsafePreferInlineScheduling = true;
        }
        if (!options.Value.WaitForDataBeforeReceiveBuffer)
        {
            transport.WaitForDataBeforeAllocatingBuffer = false;
        }
    }
}
