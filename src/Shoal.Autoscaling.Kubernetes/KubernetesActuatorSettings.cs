namespace Shoal.Autoscaling.Kubernetes;

/// <summary>The <c>kubernetes</c> actuator's settings, in configuration form (the <c>Shoal:Autoscaler:Kubernetes</c> section).</summary>
public sealed class KubernetesActuatorSettings
{
    /// <summary>The configuration section these settings bind from.</summary>
    public const string SectionName = "Shoal:Autoscaler:Kubernetes";

    /// <summary>The Deployment to scale.</summary>
    public string Deployment { get; set; } = "";

    /// <summary>Its namespace (default <c>default</c>).</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>A kubeconfig file; null for the in-cluster configuration or the default kubeconfig.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The API server's URL, overriding the kubeconfig's (for a proxy such as <c>kubectl proxy</c>).</summary>
    public string? ApiServer { get; set; }
}
