
namespace Shoal.Server.Internal;

/// <summary>Checks of <c>Shoal:Server:Tls</c>, reported with the host's other option failures at start.</summary>
internal static class ShoalServerTlsValidation
{
    public static IEnumerable<string> Validate(ShoalServerOptions options)
    {
        var tls = options.Tls;
        var hasOtherCertificate = options.Certificate is not null || !string.IsNullOrEmpty(options.CertificatePath);
        if (!string.IsNullOrEmpty(tls.CertificatePath) && !hasOtherCertificate)
        {
            if (!File.Exists(tls.CertificatePath))
            {
                yield return $"Shoal:Server:Tls:CertificatePath '{tls.CertificatePath}' does not exist.";
            }
            if (string.IsNullOrEmpty(tls.KeyPath))
            {
                yield return "Shoal:Server:Tls:KeyPath is not set; the certificate needs its private key (PEM).";
            }
            else if (!File.Exists(tls.KeyPath))
            {
                yield return $"Shoal:Server:Tls:KeyPath '{tls.KeyPath}' does not exist.";
            }
        }
        if (!string.IsNullOrEmpty(tls.ClientCaPath))
        {
            if (!File.Exists(tls.ClientCaPath))
            {
                yield return $"Shoal:Server:Tls:ClientCaPath '{tls.ClientCaPath}' does not exist.";
            }
            if (!hasOtherCertificate && string.IsNullOrEmpty(tls.CertificatePath))
            {
                yield return "Shoal:Server:Tls:ClientCaPath needs TLS: set Shoal:Server:Tls:CertificatePath and KeyPath (client certificates are only checked over TLS).";
            }
        }
    }
}
