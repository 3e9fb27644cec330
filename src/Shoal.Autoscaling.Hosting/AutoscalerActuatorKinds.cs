namespace Shoal.Autoscaling.Hosting;

/// <summary>The actuator names <see cref="ShoalAutoscalerOptions.Actuator"/> knows of: two built in, two from provider packages.</summary>
public static class AutoscalerActuatorKinds
{
    /// <summary>Decisions only; the replica count is remembered, nothing changes (built in).</summary>
    public const string DryRun = "dry-run";

    /// <summary>Starts and stops instance processes on this machine (built in).</summary>
    public const string Local = "local";

    /// <summary>Patches a Deployment's scale subresource (<c>Shoal.Autoscaling.Kubernetes</c>, <c>services.AddShoalKubernetesActuator()</c>).</summary>
    public const string Kubernetes = "kubernetes";

    /// <summary>Runs instances as containers through the Docker Engine API (<c>Shoal.Autoscaling.Containers</c>, <c>services.AddShoalContainerActuator(...)</c>).</summary>
    public const string Containers = "containers";
}
