namespace Shoal.Autoscaling.Hosting;

/// <summary>The actuator names <see cref="ShoalAutoscalerOptions.Actuator"/> accepts.</summary>
public static class AutoscalerActuatorKinds
{
    /// <summary>Decisions only; the replica count is remembered, nothing changes.</summary>
    public const string DryRun = "dry-run";

    /// <summary>Starts and stops instance processes on this machine.</summary>
    public const string Local = "local";

    /// <summary>Patches a Deployment's scale subresource.</summary>
    public const string Kubernetes = "kubernetes";

    /// <summary>Every accepted name.</summary>
    public static IReadOnlyList<string> All { get; } = [DryRun, Local, Kubernetes];
}
