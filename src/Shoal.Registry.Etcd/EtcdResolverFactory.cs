using Shoal.Discovery;
using Shoal.Targets;

namespace Shoal.Registry.Etcd;

/// <summary>Creates <see cref="EtcdServiceRegistry"/> resolvers for <c>etcd://h1:p1,h2:p2/service</c> targets.</summary>
public sealed class EtcdResolverFactory(Action<EtcdRegistryOptions>? configure = null) : IServiceResolverFactory
{
    /// <inheritdoc/>
    public bool Supports(string scheme) => string.Equals(scheme, "etcd", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public IServiceResolver Create(ShoalTarget target) => EtcdServiceRegistry.FromTarget(target, configure);
}
