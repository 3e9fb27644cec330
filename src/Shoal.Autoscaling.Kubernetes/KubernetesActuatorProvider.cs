using k8s;
using Shoal.Autoscaling.Actuators;

namespace Shoal.Autoscaling.Kubernetes;

/// <summary>The <c>kubernetes</c> actuator provider: a <see cref="KubernetesScaleActuator"/> for the configured Deployment.</summary>
/// <param name="settings">The Deployment and how to reach the API server.</param>
public sealed class KubernetesActuatorProvider(KubernetesActuatorSettings settings) : IScaleActuatorProvider
{
    /// <summary>The name that selects it.</summary>
    public const string ProviderName = "kubernetes";

    /// <inheritdoc/>
    public string Name => ProviderName;

    /// <inheritdoc/>
    public IReadOnlyList<string> Check()
    {
        const string Section = "Kubernetes";
        if (settings is null || string.IsNullOrWhiteSpace(settings.Deployment))
        {
            return [$"{Section}:Deployment is not set; the kubernetes actuator needs the Deployment to scale."];
        }
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(settings.Namespace))
        {
            failures.Add($"{Section}:Namespace is empty.");
        }
        if (settings.ApiServer is { Length: > 0 } server
            && !(Uri.TryCreate(server, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            failures.Add($"{Section}:ApiServer '{server}' is not an http(s):// URL.");
        }
        if (settings.Kubeconfig is { Length: > 0 } file && !File.Exists(file))
        {
            failures.Add($"{Section}:Kubeconfig '{file}' does not exist.");
        }
        return failures;
    }

    /// <inheritdoc/>
    public IScaleActuator Create(ScaleActuatorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return KubernetesScaleActuator.Create(
            ClientConfiguration(),
            new KubernetesActuatorOptions { Deployment = settings.Deployment, Namespace = settings.Namespace },
            context.Time);
    }

    /// <summary>The kubeconfig file when given, else a bare configuration when only the API server is, else in-cluster or the default kubeconfig; the API server overrides the host.</summary>
    private KubernetesClientConfiguration ClientConfiguration()
    {
        KubernetesClientConfiguration configuration;
        if (!string.IsNullOrEmpty(settings.Kubeconfig))
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(settings.Kubeconfig);
        }
        else if (!string.IsNullOrEmpty(settings.ApiServer))
        {
            configuration = new KubernetesClientConfiguration();
        }
        else
        {
            configuration = KubernetesClientConfiguration.BuildDefaultConfig();
        }
        if (!string.IsNullOrEmpty(settings.ApiServer))
        {
            configuration.Host = settings.ApiServer;
        }
        return configuration;
    }
}
