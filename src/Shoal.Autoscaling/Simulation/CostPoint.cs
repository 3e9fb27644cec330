namespace Shoal.Autoscaling.Simulation;

/// <summary>One point of the frontier comparison: the cost of one HPA target and every frontier's late requests there.</summary>
/// <param name="Target">The HPA target utilisation that sets the cost.</param>
/// <param name="ReplicaMinutes">That HPA run's cost.</param>
/// <param name="Hpa">HPA's frontier at that cost (late requests).</param>
/// <param name="Shoal">Shoal's frontier at that cost, or null when Shoal's sweep was never that cheap.</param>
/// <param name="SeasonalNaive">The seasonal-naive frontier at that cost, or null when it was never that cheap.</param>
public sealed record CostPoint(double Target, double ReplicaMinutes, double Hpa, double? Shoal, double? SeasonalNaive);
