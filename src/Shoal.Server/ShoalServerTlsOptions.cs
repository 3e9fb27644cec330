namespace Shoal.Server;

/// <summary>
/// TLS of both ports from PEM files (configuration section <c>Shoal:Server:Tls</c>), and the client
/// certificates a server requires (mutual TLS).
/// </summary>
public sealed class ShoalServerTlsOptions
{
    /// <summary>The server's certificate (PEM, leaf first, then any intermediates); with <see cref="KeyPath"/>. Ignored when <see cref="ShoalServerOptions.Certificate"/> or <see cref="ShoalServerOptions.CertificatePath"/> is set.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The private key of <see cref="CertificatePath"/> (PEM).</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// Certificate authorities (a PEM bundle) that issue the clients' certificates. When set, both
    /// ports require a client certificate that chains to one of them (and to nothing else: the
    /// machine's trust store is not used); a peer without one is refused during the handshake.
    /// </summary>
    public string? ClientCaPath { get; set; }
}
