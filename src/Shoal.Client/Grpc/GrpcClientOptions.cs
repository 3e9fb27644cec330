namespace Shoal.Client.Grpc;

/// <summary>Limits and timings of gRPC (HTTP/2) client connections made by <see cref="GrpcConnectionFactory"/>.</summary>
public sealed class GrpcClientOptions
{
    /// <summary>Largest message the client accepts. Default 4 MiB.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest message the client sends; unlimited when null (grpc-dotnet's default).</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>How long a connection may stay without traffic before an HTTP/2 PING is sent; <see cref="Timeout.InfiniteTimeSpan"/> disables pings.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a PING may go unanswered before the connection is treated as dead.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Opens more HTTP/2 connections when one reaches the server's concurrent stream limit. Default true.</summary>
    public bool EnableMultipleHttp2Connections { get; set; } = true;

    /// <summary>Accept any server certificate on https:// (tests with self-signed certificates only).</summary>
    public bool DangerousAcceptAnyServerCertificate { get; set; }

    /// <summary>Sends a call's <c>CallOptions.Credentials</c> over plaintext HTTP/2 too (grpc-dotnet's <c>UnsafeUseInsecureChannelCallCredentials</c>); by default they go only over TLS.</summary>
    public bool UnsafeUseInsecureChannelCallCredentials { get; set; }

    /// <summary>TLS settings for <c>https://</c> addresses (client certificates, server certificate check); the platform's defaults when null.</summary>
    public System.Net.Security.SslClientAuthenticationOptions? Tls { get; set; }

    /// <summary>Where grpc-dotnet logs; none when null.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }
}
