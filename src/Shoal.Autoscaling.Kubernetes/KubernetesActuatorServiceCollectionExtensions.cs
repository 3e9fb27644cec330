using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shoal.Autoscaling.Actuators;

namespace Shoal.Autoscaling.Kubernetes;

/// <summary>Adds the <c>kubernetes</c> actuator to the ones the autoscaler can select.</summary>
public static class KubernetesActuatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>kubernetes</c> <see cref="IScaleActuatorProvider"/>, with <see cref="KubernetesActuatorSettings"/>
    /// bound from the <c>Shoal:Autoscaler:Kubernetes</c> section of <paramref name="configuration"/> (when given), then
    /// <paramref name="configure"/>. The settings are checked when <c>Shoal:Autoscaler:Actuator</c> selects <c>kubernetes</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section; null to configure in code only.</param>
    /// <param name="configure">Changes applied after the configuration.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddShoalKubernetesActuator(this IServiceCollection services, IConfiguration? configuration = null, Action<KubernetesActuatorSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<KubernetesActuatorSettings>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(KubernetesActuatorSettings.SectionName));
        }
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScaleActuatorProvider, KubernetesActuatorProvider>(
            static sp => new KubernetesActuatorProvider(sp.GetRequiredService<IOptions<KubernetesActuatorSettings>>().Value)));
        return services;
    }
}
