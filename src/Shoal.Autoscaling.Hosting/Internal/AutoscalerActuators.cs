using k8s;
using Microsoft.Extensions.Logging;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Kubernetes;

namespace Shoal.Autoscaling.Hosting.Internal;

/// <summary>Creates the actuator <see cref="ShoalAutoscalerOptions.Actuator"/> names.</summary>
internal static class AutoscalerActuators
{
    public static IScaleActuator Create(ShoalAutoscalerOptions options, TimeProvider time, ILoggerFactory? loggerFactory) => options.Actuator switch
    {
        AutoscalerActuatorKinds.DryRun => new DryRunActuator(options.InitialReplicas, time),
        AutoscalerActuatorKinds.Local => new LocalProcessActuator(
            new LocalProcessOptions
            {
                FileName = options.Local.Command,
                Arguments = [.. options.Local.Arguments],
                Environment = new Dictionary<string, string>(options.Local.Environment, StringComparer.Ordinal),
                WorkingDirectory = options.Local.WorkingDirectory,
                GracePeriod = options.Local.GracePeriod,
            },
            time,
            loggerFactory?.CreateLogger<LocalProcessActuator>()),
        AutoscalerActuatorKinds.Kubernetes => KubernetesScaleActuator.Create(
            KubernetesConfiguration(options.Kubernetes),
            new KubernetesActuatorOptions { Deployment = options.Kubernetes.Deployment, Namespace = options.Kubernetes.Namespace },
            time),
        _ => throw new ArgumentException($"Unknown actuator '{options.Actuator}'; expected one of {string.Join(", ", AutoscalerActuatorKinds.All)}."),
    };

    private static KubernetesClientConfiguration KubernetesConfiguration(KubernetesActuatorSettings settings)
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
