using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Shoal.Client.Internal;

namespace Shoal.Client;

/// <summary>
/// TLS of a channel on both transports: the certificate authorities the server's certificate must
/// chain to (instead of the machine's trust store) and the client certificate for servers that
/// require one. Setting any of it turns TLS on for <c>shoal://</c> addresses; <c>https://</c> addresses use it too.
/// </summary>
public sealed class ShoalClientTlsOptions
{
    /// <summary>A PEM bundle of the certificate authorities to trust for the server's certificate.</summary>
    public string? CaPath { get; set; }

    /// <summary>The client certificate (PEM), with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The private key of <see cref="CertificatePath"/> (PEM).</summary>
    public string? KeyPath { get; set; }

    /// <summary>Certificate authorities to trust, in memory; added to those of <see cref="CaPath"/>.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; set; }

    /// <summary>The client certificate, in memory (with its private key); wins over <see cref="CertificatePath"/>.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Whether anything is set.</summary>
    public bool IsConfigured => CaPath is not null || CertificatePath is not null || CertificateAuthorities is not null || Certificate is not null;

    /// <summary>Fills <paramref name="tls"/>: the client certificate, and a server check against the authorities (host name included) unless it has its own.</summary>
    internal SslClientAuthenticationOptions ApplyTo(SslClientAuthenticationOptions? tls)
    {
        tls ??= new SslClientAuthenticationOptions();
        var certificate = Certificate ?? (CertificatePath is null ? null : X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath));
        if (certificate is not null && tls.ClientCertificates is null)
        {
            tls.ClientCertificates = [certificate];
        }
        var authorities = new X509Certificate2Collection();
        if (CertificateAuthorities is not null)
        {
            authorities.AddRange(CertificateAuthorities);
        }
        if (CaPath is not null)
        {
            authorities.AddRange(CertificateTrust.LoadBundle(CaPath));
        }
        if (authorities.Count > 0 && tls.RemoteCertificateValidationCallback is null)
        {
            tls.RemoteCertificateValidationCallback = (_, presented, chain, errors) =>
                CertificateTrust.IsTrusted(presented, chain, errors & ~SslPolicyErrors.RemoteCertificateChainErrors, authorities, clientCertificate: false);
        }
        return tls;
    }
}
