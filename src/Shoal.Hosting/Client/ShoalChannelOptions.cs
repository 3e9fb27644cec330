using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Shoal.Cluster;
using Shoal.Cluster.Endpoints;
using Shoal.Cluster.FaultTolerance;
using Shoal.Cluster.LoadBalancing;
using Shoal.Connections;
using Shoal.Discovery;
using Shoal.Hosting.Internal;
using Shoal.Registry.Dns;
using Shoal.Registry.Etcd;
using Shoal.Registry.Static;
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

    /// <summary>TLS on both transports from a CA bundle and a client certificate (mutual TLS); see <see cref="ShoalClientTlsOptions"/>.</summary>
    public ShoalClientTlsOptions Tls { get; set; } = new();

    /// <summary>Accept any server certificate on https:// and TLS shoal:// targets (tests with self-signed certificates only).</summary>
    public bool DangerousAcceptAnyServerCertificate { get; set; }

    /// <summary>Where the channel logs; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Connection factories tried in order for an address's scheme, before the built-in ones
    /// (native for <c>shoal</c>, gRPC for <c>http</c>/<c>https</c>).
    /// </summary>
    public IList<IConnectionFactory> ConnectionFactories { get; } = new List<IConnectionFactory>();

    /// <summary>
    /// Resolvers for cluster target schemes, tried before the built-in ones (<c>registry</c>: the
    /// embedded registry over the native protocol; <c>etcd</c>; <c>dns</c>; <c>static</c>).
    /// </summary>
    public IList<IServiceResolverFactory> ResolverFactories { get; } = new List<IServiceResolverFactory>();

    /// <summary>
    /// Builds the invoker for cluster targets from a resolver. Null (the default) means Shoal's
    /// cluster client (<see cref="ClusterCallInvoker"/>) configured by <see cref="Cluster"/> and
    /// the target's query (<c>?lb=…&amp;strategy=…&amp;transport=…&amp;zone=…</c>).
    /// </summary>
    public IClusterInvokerFactory? ClusterInvokerFactory { get; set; }

    /// <summary>
    /// How cluster targets balance and retry: load-balancing policy, per-method strategies and
    /// idempotency, zone, retry budget, outlier ejection, health checks (see docs/load-balancing.md
    /// and docs/fault-tolerance.md). A target's query (<c>lb</c>, <c>strategy</c>, <c>transport</c>,
    /// <c>zone</c>) overrides it for that channel; this object itself is never changed.
    /// </summary>
    public ClusterOptions Cluster { get; set; } = new();

    /// <summary>
    /// Where cluster targets read their instances' own load reports when server load is on
    /// (<c>?serverload=true</c> or <c>Cluster:LoadBalancing:UseServerLoad</c>); null (the default)
    /// means <see cref="Load.Client.ShoalEndpointLoadReporter"/>, the <c>shoal.load.v1.LoadReporter</c>
    /// stream every Shoal host serves.
    /// </summary>
    public IEndpointLoadReporter? LoadReporter { get; set; }

    /// <summary>Load-balancing policies beyond (or replacing, by name) the built-in ones, for cluster targets.</summary>
    public IList<ILoadBalancerFactory> LoadBalancerFactories { get; } = new List<ILoadBalancerFactory>();

    /// <summary>Fault-tolerance strategies beyond (or replacing, by name) the built-in ones, for cluster targets.</summary>
    public IList<IFaultToleranceStrategyFactory> StrategyFactories { get; } = new List<IFaultToleranceStrategyFactory>();

    /// <summary>
    /// Service contracts cluster targets read <c>idempotency_level</c> from when they cannot find a
    /// method's descriptor themselves (calls through non-protobuf marshallers, or generated code that
    /// is not loaded); generated clients need none. See <see cref="ClusterDependencies.ServiceDescriptors"/>.
    /// </summary>
    public IList<Google.Protobuf.Reflection.ServiceDescriptor> ServiceDescriptors { get; } = new List<Google.Protobuf.Reflection.ServiceDescriptor>();

    /// <summary>The resolver factories a channel with these options uses: the configured ones, then the built-in ones.</summary>
    public IReadOnlyList<IServiceResolverFactory> CreateResolverFactories()
    {
        var loggerFactory = LoggerFactory;
        return
        [
            .. ResolverFactories,
            new RegistryTargetResolverFactory(this),
            new EtcdResolverFactory(o => o.LoggerFactory ??= loggerFactory),
            new DnsResolverFactory(),
            new StaticResolverFactory(),
        ];
    }

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
        if (Tls.IsConfigured)
        {
            Native.Tls = Tls.ApplyTo(Native.Tls);
            Native.Tls.ApplicationProtocols ??= [Shoal.Transport.Native.NativeTls.ApplicationProtocol];
        }
        if (DangerousAcceptAnyServerCertificate && Native.Tls is { RemoteCertificateValidationCallback: null } tls)
        {
            tls.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        return Native;
    }

    private GrpcClientOptions ForGrpc()
    {
        Grpc.DangerousAcceptAnyServerCertificate |= DangerousAcceptAnyServerCertificate;
        if (Tls.IsConfigured)
        {
            Grpc.Tls = Tls.ApplyTo(Grpc.Tls);
        }
        Grpc.LoggerFactory ??= LoggerFactory;
        return Grpc;
    }
}
