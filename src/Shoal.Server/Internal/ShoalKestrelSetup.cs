using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Shoal.Server.Native;

namespace Shoal.Server.Internal;

/// <summary>Adds the native endpoint (Host:TcpPort), the HTTP/2 endpoint (Host:GrpcPort) and the metrics endpoint (Host:MetricsPort) to Kestrel.</summary>
internal sealed class ShoalKestrelSetup(IOptions<ShoalServerOptions> options, ShoalEndpoints endpoints) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var server = options.Value;
        var address = ParseHost(server.Host);
        var tls = ShoalServerTls.Create(server);
        if (server.TcpPort >= 0)
        {
            kestrel.Listen(address, server.TcpPort, listen =>
            {
                tls?.Apply(listen, ShoalServerTls.NativeProtocol);
                listen.UseShoalNative();
                endpoints.Native = listen;
            });
        }
        if (server.MetricsPort >= 0)
        {
            // Plain HTTP/1.1 whatever the transports use: what Prometheus and kubelet probes speak.
            kestrel.Listen(address, server.MetricsPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                endpoints.Metrics = listen;
            });
        }
        if (server.GrpcPort >= 0)
        {
            var limit = new ConnectionLimit(server.GrpcMaxConnections);
            kestrel.Listen(address, server.GrpcPort, listen =>
            {
                // First, so a connection past the limit costs no TLS handshake and no HTTP/2 state.
                listen.Use(limit.Wrap);
                listen.UseShoalGrpc();
                tls?.Apply(listen, ShoalServerTls.GrpcProtocol);
                endpoints.Grpc = listen;
                endpoints.GrpcIsTls = tls is not null;
            });
        }
    }

    /// <summary>An IP address, <c>localhost</c> (loopback: Kestrel cannot bind port 0 on the name), or <c>*</c> for every interface.</summary>
    internal static IPAddress ParseHost(string host) => host switch
    {
        "*" or "+" => IPAddress.Any,
        _ when string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) => IPAddress.Loopback,
        _ when IPAddress.TryParse(host.Trim('[', ']'), out var ip) => ip,
        _ => throw new OptionsValidationException(ShoalServerOptions.SectionName, typeof(ShoalServerOptions),
            [$"Shoal:Server:Host '{host}' is not an IP address, 'localhost' or '*'."]),
    };
}
