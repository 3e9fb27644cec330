namespace Shoal.Autoscaling.Simulation;

/// <summary>Shoal's frontier against HPA's (and the seasonal-naive baseline's) on one trace.</summary>
public sealed record FrontierResult
{
    /// <summary>Gets the trace's name.</summary>
    public required string Trace { get; init; }

    /// <summary>Gets Shoal's run at the default knob.</summary>
    public required SimulationReport Shoal { get; init; }

    /// <summary>Gets Shoal's runs over its knob, cheapest first.</summary>
    public required IReadOnlyList<SimulationReport> ShoalSweep { get; init; }

    /// <summary>Gets the HPA runs, one per target utilisation, in target order.</summary>
    public required IReadOnlyList<SimulationReport> Hpa { get; init; }

    /// <summary>Gets the seasonal-naive runs, one per target utilisation, in target order.</summary>
    public required IReadOnlyList<SimulationReport> SeasonalNaive { get; init; }

    /// <summary>Gets the four cost points (HPA at 50/60/70/80%) and each frontier's late requests there.</summary>
    public required IReadOnlyList<CostPoint> CostPoints { get; init; }

    /// <summary>Gets Shoal's late requests summed over the cost points over HPA's; null when undefined (Shoal never that cheap, or HPA never late while Shoal was).</summary>
    public double? FrontierRatio { get; init; }

    /// <summary>Gets the seasonal-naive baseline's late requests summed over the cost points over HPA's.</summary>
    public double? SeasonalNaiveRatio { get; init; }

    /// <summary>Gets Shoal's scale events at the default knob over HPA-70%'s; null when HPA never scaled and Shoal did.</summary>
    public double? FlappingRatio { get; init; }

    /// <summary>Gets HPA-70%'s run (the flapping reference).</summary>
    public SimulationReport? Hpa70 { get; init; }

    /// <summary>Gets whether Shoal's sweep spans HPA-40%'s cost down to HPA-90%'s.</summary>
    public bool SweepSpansHpa { get; init; }

    /// <summary>Gets whether both goals are met: frontier ratio and flapping ratio within <see cref="FrontierComparison.GoalRatio"/> and <see cref="FrontierComparison.GoalFlapping"/>.</summary>
    public bool Meets => FrontierRatio <= FrontierComparison.GoalRatio && FlappingRatio <= FrontierComparison.GoalFlapping;
}
