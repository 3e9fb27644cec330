using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Hosting.Internal;
using Shoal.Discovery;

namespace Shoal.Autoscaling.Hosting;

/// <summary>Adds Shoal's autoscaler to a host.</summary>
public static class ShoalAutoscalerServiceCollectionExtensions
{
    /// <summary>
    /// Runs the autoscaler as a hosted service, with <see cref="ShoalAutoscalerOptions"/> bound from the
    /// <c>Shoal:Autoscaler</c> section of <paramref name="configuration"/> (when given), then
    /// <paramref name="configure"/>. The actuator is the registered <see cref="IScaleActuatorProvider"/> (or
    /// built-in <c>dry-run</c> or <c>local</c>) that <see cref="ShoalAutoscalerOptions.Actuator"/> names. Invalid
    /// settings, or an actuator name no provider has, fail the host's start with every problem named.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the <c>Shoal:Autoscaler</c> section; null to configure in code only.</param>
    /// <param name="configure">Changes applied after the configuration.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddShoalAutoscaler(this IServiceCollection services, IConfiguration? configuration = null, Action<ShoalAutoscalerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ShoalAutoscalerOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(ShoalAutoscalerOptions.SectionName));
        }
        if (configure is not null)
        {
            options.Configure(configure);
        }
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ShoalAutoscalerOptions>, ShoalAutoscalerOptionsValidator>());
        services.TryAddSingleton(static sp => ShoalAutoscaler.Create(
            sp.GetRequiredService<IOptions<ShoalAutoscalerOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>(),
            actuators: sp.GetServices<IScaleActuatorProvider>(),
            configureChannel: channel =>
            {
                // Resolvers a provider package registered (AddShoalEtcd) reach the load signal's target too.
                foreach (var resolver in sp.GetServices<IServiceResolverFactory>())
                {
                    channel.ResolverFactories.Add(resolver);
                }
            }));
        services.AddHostedService<ShoalAutoscalerHostedService>();
        return services;
    }
}
