using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>A certificate authority made for one test, the certificates it issues, and PEM files of them in a temporary folder (deleted on dispose).</summary>
public sealed class TestCertificates : IDisposable
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-tls-").FullName;
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name = "Shoal Test CA")
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        AuthorityPath = Write("ca.pem", Authority.ExportCertificatePem());
    }

    public X509Certificate2 Authority { get; }

    public string AuthorityPath { get; }

    /// <summary>A server certificate for 127.0.0.1 and <paramref name="dnsName"/>, unless <paramref name="forLoopback"/> is false.</summary>
    public (string Certificate, string Key) IssueServer(string dnsName = "localhost", bool forLoopback = true)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        if (forLoopback)
        {
            san.AddIpAddress(IPAddress.Loopback);
        }
        return Issue($"server-{dnsName}", dnsName, san, ServerAuthentication, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
    }

    /// <summary>A client certificate named <paramref name="name"/> (common name and DNS alternative name).</summary>
    public (string Certificate, string Key) IssueClient(string name, bool expired = false)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        var notAfter = expired ? DateTimeOffset.UtcNow.AddMinutes(-10) : DateTimeOffset.UtcNow.AddHours(1);
        return Issue($"client-{name}", name, san, ClientAuthentication, DateTimeOffset.UtcNow.AddHours(-2), notAfter);
    }

    public void Dispose()
    {
        Authority.Dispose();
        _caKey.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private (string Certificate, string Key) Issue(string file, string commonName, SubjectAlternativeNameBuilder san, string usage, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], critical: false));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var certificate = request.Create(Authority, notBefore, notAfter, serial);
        return (Write($"{file}.pem", certificate.ExportCertificatePem()), Write($"{file}.key", key.ExportPkcs8PrivateKeyPem()));
    }

    private string Write(string name, string pem)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, pem);
        return path;
    }
}
