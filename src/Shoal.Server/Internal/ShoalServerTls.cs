using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Shoal.Client.Internal;
using Shoal.Client.Native;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Shoal.Server.Internal;

/// <summary>
/// TLS on a Shoal host's ports: the server certificate, the ALPN id of each port (<c>shoal</c> on the
/// native port, <c>h2</c> on the gRPC port) and, with <see cref="ShoalServerTlsOptions.ClientCaPath"/>,
/// the client certificates both ports require.
/// </summary>
internal sealed class ShoalServerTls
{
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2Collection? _clientAuthorities;

    private ShoalServerTls(X509Certificate2 certificate, X509Certificate2Collection? clientAuthorities)
    {
        _certificate = certificate;
        _clientAuthorities = clientAuthorities;
    }

    /// <summary>The TLS of <paramref name="server"/>, or null for plaintext.</summary>
    public static ShoalServerTls? Create(ShoalServerOptions server)
    {
        var certificate = server.Certificate
            ?? (string.IsNullOrEmpty(server.CertificatePath) ? null : X509CertificateLoader.LoadPkcs12FromFile(server.CertificatePath, server.CertificatePassword))
            ?? (string.IsNullOrEmpty(server.Tls.CertificatePath) ? null : X509Certificate2.CreateFromPemFile(server.Tls.CertificatePath, server.Tls.KeyPath));
        if (certificate is null)
        {
            return null;
        }
        var authorities = string.IsNullOrEmpty(server.Tls.ClientCaPath) ? null : CertificateTrust.LoadBundle(server.Tls.ClientCaPath);
        return new ShoalServerTls(certificate, authorities);
    }

    public void Apply(ListenOptions listen, SslApplicationProtocol protocol)
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificate = _certificate,
            ApplicationProtocols = [protocol],
            ClientCertificateRequired = _clientAuthorities is not null,
            RemoteCertificateValidationCallback = _clientAuthorities is { } authorities
                ? (_, certificate, chain, errors) => CertificateTrust.IsTrusted(certificate, chain, errors & ~SslPolicyErrors.RemoteCertificateChainErrors, authorities, clientCertificate: true)
                : null,
        };
        listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = _ => ValueTask.FromResult(options) });
    }

    public static SslApplicationProtocol NativeProtocol => NativeTls.ApplicationProtocol;

    public static SslApplicationProtocol GrpcProtocol => SslApplicationProtocol.Http2;
}
