using Grpc.Core;
using Grpc.Core.Interceptors;
using Shoal.Client.Internal;
using Shoal.Connections;
using Shoal.Discovery;
using Shoal.Targets;

namespace Shoal.Client;

/// <summary>
/// A channel for any Shoal target: <c>shoal://host:port</c> (native protocol), <c>http(s)://host:port</c>
/// (gRPC), and the cluster targets <c>registry://host:port/pkg.Service</c>, <c>etcd://h1:p1,h2:p2/pkg.Service</c>,
/// <c>dns:///name:port</c> and <c>static://h1:p1,h2:p2</c>, which balance over the instances found. Hand it, or the invoker it
/// creates, to a generated client: <c>new Greeter.GreeterClient(channel)</c>.
/// </summary>
public sealed class ShoalChannel : ChannelBase, IAsyncDisposable, IDisposable
{
    private readonly CallInvoker _invoker;
    private readonly IAsyncDisposable[] _owned;
    private int _disposed;

    private ShoalChannel(ShoalTarget target, CallInvoker invoker, IConnection? connection, params IAsyncDisposable[] owned) : base(target.Original)
    {
        ParsedTarget = target;
        Connection = connection;
        _invoker = invoker;
        _owned = owned;
    }

    /// <summary>The parsed target.</summary>
    public ShoalTarget ParsedTarget { get; }

    /// <summary>
    /// The invoker a cluster target's factory built (Shoal's <c>ClusterCallInvoker</c> by default); null for
    /// direct targets. The channel's calls go to it after the channel's interceptors, tracing and call-context
    /// propagation; Shoal's cluster invoker applies those itself, so calls made on it directly get them too.
    /// </summary>
    public CallInvoker? ClusterInvoker { get; private init; }

    /// <summary>The one connection of a direct target (<c>shoal://</c>, <c>http(s)://</c>); null for cluster targets.</summary>
    public IConnection? Connection { get; }

    /// <summary>Creates a channel for <paramref name="target"/>; throws <see cref="FormatException"/> for a malformed target.</summary>
    /// <exception cref="FormatException">The target is malformed; the message says why.</exception>
    /// <exception cref="FormatException">A cluster target's query names an unknown policy, strategy or transport.</exception>
    /// <exception cref="ArgumentException">The cluster options (<see cref="ShoalChannelOptions.Cluster"/>) are invalid; the message lists why.</exception>
    /// <exception cref="NotSupportedException">No resolver handles the target's scheme.</exception>
    public static ShoalChannel ForTarget(string target, ShoalChannelOptions? options = null)
    {
        var parsed = ShoalTarget.Parse(target);
        options ??= new ShoalChannelOptions();
        var interceptors = options.Interceptors.ToArray();

        if (parsed.IsDirect)
        {
            var factory = options.CreateConnectionFactory(parsed.Scheme);
            var connection = factory.Create(new Uri($"{parsed.Scheme}://{parsed.Hosts[0]}"));
            var traced = new ClientCallTracing(Intercept(connection.Invoker, interceptors), connection.Address);
            return new ShoalChannel(parsed, Propagate(traced, options), connection, connection);
        }

        var resolverFactory = options.GetResolverFactory(parsed.Scheme);
        var clusterFactory = options.ClusterInvokerFactory ?? DefaultClusterInvokerFactory.Instance;
        // Query names (lb, strategy, transport) are checked before anything is created.
        _ = ClusterTargetOptions.For(parsed, options);
        var factories = options.CreateConnectionFactories();
        var resolver = resolverFactory.Create(parsed);
        CallInvoker invoker;
        try
        {
            invoker = clusterFactory.Create(parsed, resolver, factories, options);
        }
        catch
        {
            resolver.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        IAsyncDisposable[] owned = invoker is IAsyncDisposable disposableInvoker ? [disposableInvoker, resolver] : [resolver];
        return new ShoalChannel(parsed, Enter(invoker, interceptors, options), connection: null, owned) { ClusterInvoker = invoker };
    }

    /// <summary>
    /// The invoker callers of a cluster channel get: Shoal's cluster invoker itself, holding the channel's
    /// chain (interceptors, tracing, propagation) for the calls that need it (see <see cref="ChannelEntry"/>);
    /// any other invoker, under that chain.
    /// </summary>
    private static CallInvoker Enter(CallInvoker invoker, Interceptor[] interceptors, ShoalChannelOptions options)
    {
        var cluster = invoker as Cluster.ClusterCallInvoker;
        // Over the cluster's own work, not the cluster invoker: that one may hold another channel's entry.
        var chain = Propagate(new ClientCallTracing(Intercept(cluster?.Core ?? invoker, interceptors), direct: null), options);
        return cluster is not null && cluster.TryEnterThrough(new ChannelEntry(chain, intercepted: interceptors.Length > 0, options.PropagateCallContext)) ? cluster : chain;
    }

    /// <inheritdoc/>
    public override CallInvoker CreateCallInvoker() => _invoker;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    protected override Task ShutdownAsyncCore() => DisposeAsync().AsTask();

    private static CallInvoker Propagate(CallInvoker invoker, ShoalChannelOptions options)
        => new PropagatingCallInvoker(invoker, options.PropagateCallContext, [.. options.PropagatedHeaders.Select(static k => k.ToLowerInvariant())]);

    private static CallInvoker Intercept(CallInvoker invoker, Interceptor[] interceptors)
        => interceptors.Length == 0 ? invoker : invoker.Intercept(interceptors);
}
