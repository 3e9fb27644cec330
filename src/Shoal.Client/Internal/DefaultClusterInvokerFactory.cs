using Grpc.Core;
using Shoal.Client.Cluster;
using Shoal.Client.Load;
using Shoal.Connections;
using Shoal.Discovery;
using Shoal.Targets;

namespace Shoal.Client.Internal;

/// <summary>
/// The cluster client behind every cluster target by default: a started <see cref="ClusterCallInvoker"/>
/// for the target's service, with <see cref="ShoalChannelOptions.Cluster"/> and the target's query
/// (<c>lb</c>, <c>strategy</c>, <c>transport</c>, <c>zone</c>, <c>serverload</c>) applied. With server
/// load on, the endpoints' load reports come from <see cref="ShoalChannelOptions.LoadReporter"/>,
/// by default the <c>shoal.load.v1.LoadReporter</c> stream of each instance.
/// </summary>
internal sealed class DefaultClusterInvokerFactory : IClusterInvokerFactory
{
    public static DefaultClusterInvokerFactory Instance { get; } = new();

    public CallInvoker Create(ShoalTarget target, IServiceResolver resolver, IReadOnlyList<IConnectionFactory> connectionFactories, ShoalChannelOptions options)
    {
        var cluster = ClusterTargetOptions.For(target, options);
        var dependencies = new ClusterDependencies
        {
            LoggerFactory = options.LoggerFactory,
            LoadBalancers = [.. options.LoadBalancerFactories],
            Strategies = [.. options.StrategyFactories],
            ServiceDescriptors = [.. options.ServiceDescriptors],
            LoadReporter = cluster.LoadBalancing?.UseServerLoad == true ? options.LoadReporter ?? ShoalEndpointLoadReporter.Instance : null,
        };
        ClusterCallInvoker invoker;
        try
        {
            invoker = new ClusterCallInvoker(ClusterTargetOptions.ServiceOf(target), resolver, connectionFactories, cluster, dependencies);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            throw new ArgumentException($"The cluster options for '{target}' are invalid: {string.Join(" ", ex.Failures)}", nameof(options), ex);
        }
        // Calls wait for the first instance set themselves (up to WaitForReadyTimeout), so the
        // channel does not block its constructor on the registry; a start failure is observed here.
        _ = invoker.StartAsync().ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return invoker;
    }
}
