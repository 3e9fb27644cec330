using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Shoal.Autoscaling.Actuators;

namespace Shoal.Autoscaling.Containers;

/// <summary>Adds the container actuator to a service collection.</summary>
public static class ContainerActuatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="ContainerScaleActuator"/> as the <see cref="IScaleActuator"/> (a singleton,
    /// which the container drains and removes when the service provider is disposed). Invalid settings
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
        services.TryAddSingleton(options);
        services.TryAddSingleton(static sp => new ContainerScaleActuator(
            sp.GetRequiredService<ContainerActuatorOptions>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<ContainerScaleActuator>()));
        services.TryAddSingleton<IScaleActuator>(static sp => sp.GetRequiredService<ContainerScaleActuator>());
        return services;
    }
}
