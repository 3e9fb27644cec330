using Microsoft.Extensions.Logging;

namespace Shoal.Autoscaling.Actuators;

/// <summary>The built-in <c>local</c> provider: a <see cref="LocalProcessActuator"/> running <see cref="LocalProcessOptions.FileName"/> per instance.</summary>
/// <param name="options">The command that starts one instance.</param>
public sealed class LocalProcessActuatorProvider(LocalProcessOptions options) : IScaleActuatorProvider
{
    /// <summary>The name that selects it.</summary>
    public const string ProviderName = "local";

    /// <inheritdoc/>
    public string Name => ProviderName;

    /// <inheritdoc/>
    public IReadOnlyList<string> Check()
        => string.IsNullOrWhiteSpace(options?.FileName)
            ? ["Local:Command is not set; the local actuator needs the command that starts one instance."]
            : [];

    /// <inheritdoc/>
    public IScaleActuator Create(ScaleActuatorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new LocalProcessActuator(options, context.Time, context.LoggerFactory?.CreateLogger<LocalProcessActuator>());
    }
}
