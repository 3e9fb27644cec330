using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Signals;

namespace Shoal.Autoscaling.Hosting;

/// <summary>One control tick of a running autoscaler: the load it read and what the policy decided.</summary>
/// <param name="Decision">The decision, with its reason, forecast and capacity.</param>
/// <param name="Load">The cluster load the decision was taken on.</param>
/// <param name="Actuator">The actuator that carried it out (<c>dry-run</c>, <c>local</c>, <c>kubernetes</c>).</param>
public sealed record AutoscaleDecision(ScalingDecision Decision, ClusterLoad Load, string Actuator);
