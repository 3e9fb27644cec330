using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Shoal.Client.Cluster;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Client.Discovery.Dns;
using Shoal.Client.Discovery.Static;
using Shoal.Client.Grpc;
using Shoal.Client.Internal;
using Shoal.Client.Native;
using Shoal.Connections;
using Shoal.Discovery;

namespace Shoal.Client;

/// <summary>How a <see cref="ShoalChannel"/> connects and what runs around each call.</summary>
public sealed class ShoalChannelOptions
{
    /// <summary>Native-protocol client settings (message limits, keepalive, TLS).</summary>
    public NativeClientOptions Native { get; set; } = new();

    /// <summary>gRPC (HTTP/2) client settings for <c>http://</c> and <c>https://</c> targets.</summary>
    public GrpcClientOptions Grpc { get; set; } = new();

    /// <summary>Client interceptors, first is outermost; they run on every transport.</summary>
    public IList<Interceptor> Interceptors { get; } = new List<Interceptor>();

    /// <summary>
    /// Whether a call made while a server call is current (from a handler of a Shoal host, on either
    /// transport) takes that call's deadline when earlier than its own and is cancelled with it, as
    /// grpc-dotnet's <c>EnableCallContextPropagation()</c> but on by default. An explicit
    /// <see cref="global::Grpc.Core.CallOptions.PropagationToken"/> is honoured either way.
    /// </summary>
    public bool PropagateCallContext { get; set; } = true;

    /// <summary>
    /// Request headers copied from the current server call to the calls made from its handler
    /// (baggage-style propagation, opt-in by key, lower case); a header the call sets itself wins.
    /// </summary>
    public IList<string> PropagatedHeaders { get; } = new List<string>();

    /// <summary>TLS on both transports from a CA bundle and a client certificate (mutual TLS); see <see cref="ShoalClientTlsOptions"/>.</summary>
    public ShoalClientTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// A file holding the embedded registry's token (<c>shoal registry --token-file</c>): sent on
    /// every call a <c>registry://</c> target makes to the registry. None when null.
    /// </summary>
    public string? RegistryTokenFile { get; set; }

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
    /// embedded registry over the native protocol; <c>dns</c>; <c>static</c>). Provider packages add
    /// theirs with one call (<c>UseEtcd()</c> from Shoal.Registry.Etcd).
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
    /// means <see cref="Load.ShoalEndpointLoadReporter"/>, the <c>shoal.load.v1.LoadReporter</c>
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
        return
        [
            .. ResolverFactories,
            new RegistryTargetResolverFactory(this),
            new DnsResolverFactory(),
            new StaticResolverFactory(),
        ];
    }

    /// <summary>The resolver factory for <paramref name="scheme"/>'s cluster targets: a configured one, else a built-in one.</summary>
    /// <exception cref="NotSupportedException">No resolver handles the scheme; the message names the package that does, when one is known.</exception>
    public IServiceResolverFactory GetResolverFactory(string scheme)
        => CreateResolverFactories().FirstOrDefault(f => f.Supports(scheme))
            ?? throw new NotSupportedException(
                $"No resolver handles {scheme}:// targets; add an IServiceResolverFactory that supports '{scheme}' to ShoalChannelOptions.ResolverFactories, or use a direct target (shoal://, http://, https://).{ProviderPackages.HintFor(scheme)}");

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
            Native.Tls.ApplicationProtocols ??= [NativeTls.ApplicationProtocol];
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
