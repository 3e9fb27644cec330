using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Shoal.Server;

/// <summary>Prepares a Kestrel endpoint for gRPC.</summary>
public static class GrpcListenOptionsExtensions
{
    /// <summary>
    /// Serves HTTP/2 only on this endpoint: prior-knowledge h2c in plaintext (what gRPC clients
    /// send without TLS), or TLS with ALPN <c>h2</c> when <paramref name="certificate"/> is set.
    /// </summary>
    public static ListenOptions UseShoalGrpc(this ListenOptions listenOptions, X509Certificate2? certificate = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Protocols = HttpProtocols.Http2;
        if (certificate is not null)
        {
            listenOptions.UseHttps(certificate);
        }
        return listenOptions;
    }
}
