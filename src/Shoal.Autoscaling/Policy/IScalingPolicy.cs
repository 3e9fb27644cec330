namespace Shoal.Autoscaling.Policy;

/// <summary>
/// Turns the current load and replica counts into a replica count; called once per control interval.
/// </summary>
/// <remarks>Both Shoal's policy and the Kubernetes HPA baseline implement it, so the simulator runs both on equal terms.</remarks>
public interface IScalingPolicy
{
    /// <summary>Gets a short name for reports ("shoal", "hpa-70%").</summary>
    string Name { get; }

    /// <summary>Decides the replica count for this control interval.</summary>
    /// <param name="input">What the controller observes now.</param>
    /// <returns>The decision with its reason.</returns>
    ScalingDecision Decide(ScalingInput input);
}
