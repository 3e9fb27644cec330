using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shoal.Client.Discovery.InMemory;
using Shoal.Server.Registry.Internal;

namespace Shoal.Server.Registry;

/// <summary>Registers the embedded registry server's parts in DI.</summary>
public static class RegistryServiceCollectionExtensions
{
    /// <summary>The startup grace period of a registry server: long enough for servers to notice the restart and register again.</summary>
    public static readonly TimeSpan DefaultStartupGracePeriod = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Adds a singleton <see cref="RegistryStore"/> (on the <see cref="TimeProvider"/> from DI, or
    /// system time) and a singleton <see cref="EmbeddedRegistryService"/>, so a host can bind or
    /// map the service (<c>MapGrpcService&lt;EmbeddedRegistryService&gt;()</c> or Shoal's
    /// <c>AddService&lt;EmbeddedRegistryService&gt;()</c>) and every call shares one store. When the
    /// host stops, the store closes first, so open watch streams end at once (clients reconnect
    /// elsewhere or wait) instead of holding the host's shutdown. Access and per-connection caps
    /// are <see cref="EmbeddedRegistryOptions"/>, bound from <c>Shoal:Registry</c> and checked at start.
    /// </summary>
    public static IServiceCollection AddShoalEmbeddedRegistry(this IServiceCollection services, Action<RegistryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new RegistryStoreOptions { StartupGracePeriod = DefaultStartupGracePeriod };
        configure?.Invoke(options);
        options.Validate();
        services.TryAddSingleton(sp => new RegistryStore(options, sp.GetService<TimeProvider>()));
        services.AddOptions<EmbeddedRegistryOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<EmbeddedRegistryOptions>, EmbeddedRegistryOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddedRegistryOptions>, EmbeddedRegistryOptionsValidator>());
        services.TryAddSingleton<EmbeddedRegistryService>();
        services.TryAddSingleton(sp => new RegistryMetrics(sp.GetRequiredService<RegistryStore>(), sp.GetRequiredService<EmbeddedRegistryService>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<RegistryMetrics>());
        services.AddHostedService<RegistryStoreShutdown>();
        return services;
    }
}
