using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Shoal.Transport.Native;

namespace Shoal.Hosting.Client;

/// <summary>How a <see cref="ShoalChannel"/> connects and what runs around each call.</summary>
public sealed class ShoalChannelOptions
{
    /// <summary>Native-protocol client settings (message limits, keepalive, TLS).</summary>
    public NativeClientOptions Native { get; set; } = new();

    /// <summary>Client interceptors, first is outermost; they run on every transport.</summary>
    public IList<Interceptor> Interceptors { get; } = new List<Interceptor>();

    /// <summary>Accept any server certificate on https:// and TLS shoal:// targets (tests with self-signed certificates only).</summary>
    public bool DangerousAcceptAnyServerCertificate { get; set; }

    /// <summary>Where the channel logs; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
