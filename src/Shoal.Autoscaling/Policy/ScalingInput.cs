namespace Shoal.Autoscaling.Policy;

/// <summary>What a scaling policy observes at one control tick.</summary>
/// <param name="Now">The time of the decision.</param>
/// <param name="RequestsPerSecond">The offered load measured over the control interval that just ended.</param>
/// <param name="CurrentReplicas">Replicas asked for so far: ready plus still starting (the Deployment's spec.replicas).</param>
/// <param name="ReadyReplicas">Replicas ready to serve.</param>
public readonly record struct ScalingInput(DateTimeOffset Now, double RequestsPerSecond, int CurrentReplicas, int ReadyReplicas);
