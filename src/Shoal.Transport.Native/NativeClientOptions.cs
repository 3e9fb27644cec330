using System.Net.Security;

namespace Shoal.Transport.Native;

/// <summary>Limits and timings of the native protocol's client side.</summary>
public sealed class NativeClientOptions
{
    /// <summary>Largest message the client accepts. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest message the client sends. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>How often an idle connection is pinged; <see cref="Timeout.InfiniteTimeSpan"/> disables pings.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may go unanswered before the connection is treated as dead.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>TLS settings; null for plaintext. Set for targets that use TLS on the native port.</summary>
    public SslClientAuthenticationOptions? Tls { get; set; }
}
