using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shoal.Autoscaling.Actuators;

namespace Shoal.Autoscaling.Containers;

/// <summary>Adds the <c>containers</c> actuator to the ones the autoscaler can select.</summary>
public static class ContainerActuatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>containers</c> <see cref="IScaleActuatorProvider"/> with these settings. Invalid settings
    /// throw here, with every problem named, before anything runs.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="options">What to run and where.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static IServiceCollection AddShoalContainerActuator(this IServiceCollection services, ContainerActuatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ContainerActuatorOptionsValidator.ThrowIfInvalid(options);
        return services.AddProvider(new ContainerActuatorProvider(options));
    }

    /// <summary>
    /// Registers the <c>containers</c> <see cref="IScaleActuatorProvider"/> with settings bound from the
    /// <c>Shoal:Autoscaler:Containers</c> section of <paramref name="configuration"/>; they are checked when
    /// <c>Shoal:Autoscaler:Actuator</c> selects <c>containers</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddShoalContainerActuator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ContainerActuatorProvider.SectionName);
        return services.AddProvider(new ContainerActuatorProvider(section.Exists() ? section.Get<ContainerActuatorOptions>() : null));
    }

    private static IServiceCollection AddProvider(this IServiceCollection services, ContainerActuatorProvider provider)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScaleActuatorProvider, ContainerActuatorProvider>(_ => provider));
        return services;
    }
}
