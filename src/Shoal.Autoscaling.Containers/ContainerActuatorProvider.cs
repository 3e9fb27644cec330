using Microsoft.Extensions.Logging;
using Shoal.Autoscaling.Actuators;

namespace Shoal.Autoscaling.Containers;

/// <summary>The <c>containers</c> actuator provider: a <see cref="ContainerScaleActuator"/> with the given settings.</summary>
/// <param name="options">What to run and where; null when no settings were configured.</param>
public sealed class ContainerActuatorProvider(ContainerActuatorOptions? options) : IScaleActuatorProvider
{
    /// <summary>The name that selects it.</summary>
    public const string ProviderName = "containers";

    /// <summary>The configuration section, under the autoscaler's, its settings bind from.</summary>
    public const string SectionName = "Shoal:Autoscaler:Containers";

    /// <inheritdoc/>
    public string Name => ProviderName;

    /// <inheritdoc/>
    public IReadOnlyList<string> Check()
        => options is null
            ? ["Containers:Image is not set; the containers actuator needs the image each instance runs."]
            : [.. ContainerActuatorOptionsValidator.Check(options).Select(failure => "Containers:" + failure)];

    /// <inheritdoc/>
    public IScaleActuator Create(ScaleActuatorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ContainerActuatorOptionsValidator.ThrowIfInvalid(options!);
        return new ContainerScaleActuator(options!, context.Time, context.LoggerFactory?.CreateLogger<ContainerScaleActuator>());
    }
}
