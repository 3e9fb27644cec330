using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shoal.Client;
using Shoal.Discovery;

namespace Shoal.Registry.Etcd;

/// <summary>Plugs etcd into a host: servers register with <c>etcd://</c> registries, DI clients resolve <c>etcd://</c> targets.</summary>
public static class EtcdServiceCollectionExtensions
{
    /// <summary>
    /// Registers etcd as the registry provider for <c>etcd://</c> addresses
    /// (<c>Shoal:Server:Registry</c>), and as a resolver for <c>etcd://</c> targets: in the channels
    /// of clients added with <c>AddShoalClient</c>, and as an <see cref="IServiceResolverFactory"/>
    /// for other DI users (the hosted autoscaler). Calling it again changes nothing.
    /// </summary>
    public static IServiceCollection AddShoalEtcd(this IServiceCollection services, Action<EtcdRegistryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IServiceRegistryFactory) && d.ImplementationInstance is EtcdServiceRegistryFactory))
        {
            return services;
        }
        services.AddSingleton<IServiceRegistryFactory>(new EtcdServiceRegistryFactory(configure));
        services.AddSingleton<IServiceResolverFactory>(sp => new EtcdResolverFactory(o =>
        {
            o.LoggerFactory ??= sp.GetService<ILoggerFactory>();
            configure?.Invoke(o);
        }));
        services.ConfigureAll<ShoalClientOptions>(o => o.Channel.UseEtcd(configure));
        return services;
    }
}
