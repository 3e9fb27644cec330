using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Shoal.Server.Internal;

/// <summary>
/// The Kestrel endpoints a Shoal host configured. Kestrel writes the bound endpoint (with the
/// port the OS chose for port 0) back into each <see cref="ListenOptions"/> when it starts, so
/// reading them after start gives the real addresses.
/// </summary>
internal sealed class ShoalEndpoints
{
    public ListenOptions? Native { get; set; }

    public ListenOptions? Grpc { get; set; }

    public bool GrpcIsTls { get; set; }

    /// <summary>The plain HTTP/1.1 endpoint of metrics and probes, when configured.</summary>
    public ListenOptions? Metrics { get; set; }

    /// <summary>The bound metrics port; 0 while there is none or the host has not started.</summary>
    public int MetricsPort => (Metrics?.EndPoint as IPEndPoint)?.Port ?? 0;

    public ShoalServerAddresses GetAddresses()
    {
        return new ShoalServerAddresses(
            Native is null ? null : ToUri("shoal", Native),
            Grpc is null ? null : ToUri(GrpcIsTls ? "https" : "http", Grpc))
        {
            Metrics = Metrics is null ? null : ToUri("http", Metrics),
        };
    }

    private static Uri ToUri(string scheme, ListenOptions listenOptions)
    {
        if (listenOptions.EndPoint is not IPEndPoint endpoint || endpoint.Port == 0)
        {
            throw new InvalidOperationException("The Shoal host has not started yet; read its addresses after app.StartAsync() or from ApplicationStarted.");
        }
        // IPEndPoint.ToString brackets IPv6 addresses, as a URI authority needs.
        return new Uri($"{scheme}://{endpoint}");
    }
}
