using System.Security.Cryptography.X509Certificates;
using Shoal.Transport.Native;

namespace Shoal.Hosting.Server;

/// <summary>
/// Where and how a Shoal host serves: the native port and the gRPC port, bound from the
/// <c>Shoal:Server</c> configuration section (appsettings.json, environment, command line).
/// </summary>
public sealed class ShoalServerOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Shoal:Server";

    /// <summary>The address both transports listen on. Default 127.0.0.1; use 0.0.0.0 to listen on every interface.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The native protocol's TCP port (0 picks a free one; -1 disables the native transport). Default 7000.</summary>
    public int TcpPort { get; set; } = 7000;

    /// <summary>The gRPC (HTTP/2) port (0 picks a free one; -1 disables gRPC). Default 7001.</summary>
    public int GrpcPort { get; set; } = 7001;

    /// <summary>A certificate to serve TLS with on both ports; plaintext when null (and <see cref="CertificatePath"/> is not set).</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>A PKCS#12 (.pfx) file to serve TLS with on both ports, for configuration files; <see cref="Certificate"/> wins when both are set.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>; none when null.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Adds exception type and message to Unknown statuses on both transports.</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>Native protocol limits and timings.</summary>
    public NativeServerOptions Native { get; set; } = new();

    /// <summary>How long calls in flight may run on after shutdown begins.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);
}
