using System.Net.Http;
using System.Net.Security;
using Grpc.Net.Client;
using Shoal.Connections;

namespace Shoal.Client.Grpc;

/// <summary>Dials <c>http://host:port</c> and <c>https://host:port</c> addresses with <c>Grpc.Net.Client</c>.</summary>
public sealed class GrpcConnectionFactory : IConnectionFactory
{
    private readonly GrpcClientOptions _options;

    /// <summary>Creates a factory whose connections use <paramref name="options"/> (defaults when null).</summary>
    public GrpcConnectionFactory(GrpcClientOptions? options = null) => _options = options ?? new GrpcClientOptions();

    /// <inheritdoc/>
    public bool Supports(string scheme) => scheme is "http" or "https";

    /// <inheritdoc/>
    public IConnection Create(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!Supports(address.Scheme))
        {
            throw new ArgumentException($"The gRPC transport dials http:// and https:// addresses, not '{address}'.", nameof(address));
        }
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = CreateHandler(_options),
            DisposeHttpClient = true,
            MaxReceiveMessageSize = _options.MaxReceiveMessageSize,
            MaxSendMessageSize = _options.MaxSendMessageSize,
            LoggerFactory = _options.LoggerFactory,
            UnsafeUseInsecureChannelCallCredentials = _options.UnsafeUseInsecureChannelCallCredentials,
        });
        return new GrpcConnection(address, channel);
    }

    /// <summary>
    /// The handler under every channel. A <see cref="SocketsHttpHandler"/> (rather than the
    /// default <see cref="HttpClientHandler"/>) is what lets grpc-dotnet track connectivity
    /// state, which <see cref="GrpcConnection.State"/> reports.
    /// </summary>
    internal static SocketsHttpHandler CreateHandler(GrpcClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = options.EnableMultipleHttp2Connections,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            ConnectTimeout = options.ConnectTimeout,
            KeepAlivePingDelay = options.KeepAliveInterval,
            KeepAlivePingTimeout = options.KeepAliveTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        };
        if (options.Tls is { } tls)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = tls.ClientCertificates,
                RemoteCertificateValidationCallback = tls.RemoteCertificateValidationCallback,
                EnabledSslProtocols = tls.EnabledSslProtocols,
                CertificateChainPolicy = tls.CertificateChainPolicy,
            };
        }
        if (options.DangerousAcceptAnyServerCertificate)
        {
            handler.SslOptions ??= new SslClientAuthenticationOptions();
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        return handler;
    }
}
