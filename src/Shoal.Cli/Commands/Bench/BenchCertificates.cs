using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Shoal.Cli.Commands.Bench;

/// <summary>
/// The certificates of one <c>shoal bench --compare --tls</c> run: a self-signed authority and a
/// server certificate for 127.0.0.1 it issues, as PEM files in a temporary folder deleted on dispose.
/// Valid for a day around now: a run is minutes long, and a clock a little off still verifies.
/// </summary>
internal sealed class BenchCertificates : IDisposable
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private readonly string _folder;

    private BenchCertificates(string folder, string authority, string certificate, string key)
    {
        _folder = folder;
        AuthorityPath = authority;
        CertificatePath = certificate;
        KeyPath = key;
    }

    /// <summary>The authority's certificate (PEM): what the client trusts (<c>--ca</c>).</summary>
    public string AuthorityPath { get; }

    /// <summary>The server's certificate (PEM, <c>--tls-cert</c>).</summary>
    public string CertificatePath { get; }

    /// <summary>The server's private key (PEM, <c>--tls-key</c>).</summary>
    public string KeyPath { get; }

    /// <summary>Generates the authority and the server certificate and writes them.</summary>
    public static BenchCertificates Create()
    {
        var folder = Directory.CreateTempSubdirectory("shoal-bench-tls-").FullName;
        try
        {
            var now = DateTimeOffset.UtcNow;
            using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var authorityRequest = new CertificateRequest("CN=shoal bench CA", authorityKey, HashAlgorithmName.SHA256);
            authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
            authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
            authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, critical: false));
            using var authority = authorityRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

            using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
            serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
            serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
            serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication)], critical: false));
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            serverRequest.CertificateExtensions.Add(names.Build());
            serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
            var serial = RandomNumberGenerator.GetBytes(12);
            serial[0] &= 0x7F;
            using var server = serverRequest.Create(authority, now.AddHours(-1), now.AddDays(1), serial);

            return new BenchCertificates(
                folder,
                Write(folder, "ca.pem", authority.ExportCertificatePem()),
                Write(folder, "server.pem", server.ExportCertificatePem()),
                Write(folder, "server.key", serverKey.ExportPkcs8PrivateKeyPem()));
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not worth failing a finished run for.
        }
    }

    private static string Write(string folder, string name, string pem)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, pem);
        return path;
    }
}
