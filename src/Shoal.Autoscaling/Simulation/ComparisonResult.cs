namespace Shoal.Autoscaling.Simulation;

/// <summary>Shoal against the HPA sweep on one trace, at equal cost.</summary>
public sealed record ComparisonResult
{
    /// <summary>Gets Shoal's run.</summary>
    public required SimulationReport Shoal { get; init; }

    /// <summary>Gets the HPA runs, one per target utilisation, in target order.</summary>
    public required IReadOnlyList<SimulationReport> Hpa { get; init; }

    /// <summary>Gets HPA's overloaded minutes interpolated at Shoal's replica-minutes on HPA's cost/overload curve.</summary>
    public double HpaOverloadedAtShoalCost { get; init; }

    /// <summary>Gets Shoal's overloaded minutes over HPA's at the same cost; null when HPA had none and Shoal had some.</summary>
    public double? Ratio { get; init; }

    /// <summary>Gets a note when Shoal's cost lies outside HPA's curve (the nearest end was used) or the ratio is undefined.</summary>
    public string? Note { get; init; }
}
