namespace Shoal.Autoscaling.Kubernetes;

/// <summary>Which Deployment the Kubernetes actuator scales.</summary>
public sealed record KubernetesActuatorOptions
{
    /// <summary>Gets the Deployment's namespace.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Gets the Deployment's name.</summary>
    public required string Deployment { get; init; }

    /// <summary>Validates the settings.</summary>
    /// <exception cref="ArgumentException">A name is missing.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Namespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(Deployment);
    }
}
