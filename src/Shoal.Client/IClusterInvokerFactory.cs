using Grpc.Core;
using Shoal.Connections;
using Shoal.Discovery;
using Shoal.Targets;

namespace Shoal.Client;

/// <summary>
/// Builds the call invoker for a cluster target (<c>registry://</c>, <c>etcd://</c>, <c>dns://</c>,
/// <c>static://</c>): the extension point through which the cluster client plugs into
/// <see cref="ShoalChannel"/>. Set it on <see cref="ShoalChannelOptions.ClusterInvokerFactory"/>.
/// </summary>
public interface IClusterInvokerFactory
{
    /// <summary>
    /// Creates the invoker that balances calls over the instances <paramref name="resolver"/>
    /// reports, dialing them with <paramref name="connectionFactories"/>. When the returned
    /// invoker implements <see cref="IAsyncDisposable"/>, the channel disposes it; the channel
    /// also disposes <paramref name="resolver"/> afterwards.
    /// </summary>
    CallInvoker Create(ShoalTarget target, IServiceResolver resolver, IReadOnlyList<IConnectionFactory> connectionFactories, ShoalChannelOptions options);
}
