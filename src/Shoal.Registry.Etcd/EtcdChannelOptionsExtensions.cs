using Shoal.Client;

namespace Shoal.Registry.Etcd;

/// <summary>Plugs etcd into a channel: <c>etcd://h1:p1,h2:p2/pkg.Service</c> targets.</summary>
public static class EtcdChannelOptionsExtensions
{
    /// <summary>
    /// Lets channels with these options resolve <c>etcd://</c> targets through etcd. The
    /// registries log through <see cref="ShoalChannelOptions.LoggerFactory"/> unless
    /// <paramref name="configure"/> sets another. Calling it again changes nothing.
    /// </summary>
    public static ShoalChannelOptions UseEtcd(this ShoalChannelOptions options, Action<EtcdRegistryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.ResolverFactories.Any(f => f is EtcdResolverFactory))
        {
            options.ResolverFactories.Add(new EtcdResolverFactory(o =>
            {
                o.LoggerFactory ??= options.LoggerFactory;
                configure?.Invoke(o);
            }));
        }
        return options;
    }
}
