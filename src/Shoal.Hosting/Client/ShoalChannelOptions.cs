using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Shoal.Connections;
using Shoal.Discovery;
using Shoal.Hosting.Internal;
using Shoal.Transport.Grpc;
using Shoal.Transport.Native;

namespace Shoal.Hosting.Client;

/// <summary>How a <see cref="ShoalChannel"/> connects and what runs around each call.</summary>
public sealed class ShoalChannelOptions
{
    /// <summary>Native-protocol client settings (message limits, keepalive, TLS).</summary>
    public NativeClientOptions Native { get; set; } = new();

    /// <summary>gRPC (HTTP/2) client settings for <c>http://</c> and <c>https://</c> targets.</summary>
    public GrpcClientOptions Grpc { get; set; } = new();

    /// <summary>Client interceptors, first is outermost; they run on every transport.</summary>
    public IList<Interceptor> Interceptors { get; } = new List<Interceptor>();

    /// <summary>Accept any server certificate on https:// and TLS shoal:// targets (tests with self-signed certificates only).</summary>
    public bool DangerousAcceptAnyServerCertificate { get; set; }

    /// <summary>Where the channel logs; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Connection factories tried in order for an address's scheme, before the built-in ones
    /// (native for <c>shoal</c>, gRPC for <c>http</c>/<c>https</c>).
    /// </summary>
    public IList<IConnectionFactory> ConnectionFactories { get; } = new List<IConnectionFactory>();

    /// <summary>Resolvers for cluster target schemes (<c>registry</c>, <c>etcd</c>, <c>dns</c>, <c>static</c>, …).</summary>
    public IList<IServiceResolverFactory> ResolverFactories { get; } = new List<IServiceResolverFactory>();

    /// <summary>Builds the invoker for cluster targets from a resolver; needed for any target that is not direct.</summary>
    public IClusterInvokerFactory? ClusterInvokerFactory { get; set; }

    /// <summary>
    /// The connection factories a channel with these options dials with: the configured ones,
    /// then the built-in native and gRPC factories (so a cluster invoker reaches both transports).
    /// </summary>
    public IReadOnlyList<IConnectionFactory> CreateConnectionFactories()
    {
        var factories = new List<IConnectionFactory>(ConnectionFactories);
        if (!factories.Exists(f => f.Supports("shoal")))
        {
            factories.Add(new LazyConnectionFactory(["shoal"], () => CreateBuiltInFactory("shoal")));
        }
        if (!factories.Exists(f => f.Supports("http")))
        {
            factories.Add(new LazyConnectionFactory(["http", "https"], () => CreateBuiltInFactory("http")));
        }
        return factories;
    }

    /// <summary>The factory that dials <paramref name="scheme"/>: a configured one, else the built-in one (only that one is created).</summary>
    internal IConnectionFactory CreateConnectionFactory(string scheme)
        => ConnectionFactories.FirstOrDefault(f => f.Supports(scheme)) ?? CreateBuiltInFactory(scheme);

    private IConnectionFactory CreateBuiltInFactory(string scheme) => scheme switch
    {
        "shoal" => new NativeConnectionFactory(ForNative()),
        "http" or "https" => new GrpcConnectionFactory(ForGrpc()),
        _ => throw new NotSupportedException($"No connection factory dials {scheme}:// addresses; add one to ShoalChannelOptions.ConnectionFactories."),
    };

    private NativeClientOptions ForNative()
    {
        if (DangerousAcceptAnyServerCertificate && Native.Tls is { RemoteCertificateValidationCallback: null } tls)
        {
            tls.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        return Native;
    }

    private GrpcClientOptions ForGrpc()
    {
        Grpc.DangerousAcceptAnyServerCertificate |= DangerousAcceptAnyServerCertificate;
        Grpc.LoggerFactory ??= LoggerFactory;
        return Grpc;
    }
}
