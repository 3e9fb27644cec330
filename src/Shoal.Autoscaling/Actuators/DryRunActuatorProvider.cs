namespace Shoal.Autoscaling.Actuators;

/// <summary>The built-in <c>dry-run</c> provider: a <see cref="DryRunActuator"/> that changes nothing.</summary>
public sealed class DryRunActuatorProvider : IScaleActuatorProvider
{
    /// <summary>The name that selects it.</summary>
    public const string ProviderName = "dry-run";

    /// <inheritdoc/>
    public string Name => ProviderName;

    /// <inheritdoc/>
    public IReadOnlyList<string> Check() => [];

    /// <inheritdoc/>
    public IScaleActuator Create(ScaleActuatorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new DryRunActuator(context.InitialReplicas, context.Time);
    }
}
