namespace Shoal.Autoscaling.Simulation;

/// <summary>The simulated cluster: the same for every policy in a comparison.</summary>
public sealed record SimulationOptions
{
    /// <summary>Gets the requests per second one ready replica serves.</summary>
    public required double CapacityPerInstance { get; init; }

    /// <summary>Gets the delay from a decision to a new replica being ready (60 s).</summary>
    public TimeSpan Startup { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets how long a removed replica keeps running (and costing) while it drains (30 s).</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the control interval: one simulation tick, one policy decision (15 s).</summary>
    public TimeSpan ControlInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets the fewest replicas.</summary>
    public int MinReplicas { get; init; } = 1;

    /// <summary>Gets the most replicas.</summary>
    public int MaxReplicas { get; init; } = 1000;

    /// <summary>Gets the replicas ready at the start, or null for what the first interval needs at 80% utilisation.</summary>
    public int? InitialReplicas { get; init; }

    /// <summary>Validates the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!(CapacityPerInstance > 0) || !double.IsFinite(CapacityPerInstance))
        {
            throw new ArgumentException("CapacityPerInstance must be positive.");
        }

        if (ControlInterval <= TimeSpan.Zero || Startup < TimeSpan.Zero || Drain < TimeSpan.Zero)
        {
            throw new ArgumentException("ControlInterval must be positive; Startup and Drain non-negative.");
        }

        if (MinReplicas < 1 || MaxReplicas < MinReplicas)
        {
            throw new ArgumentException("Need 1 <= MinReplicas <= MaxReplicas.");
        }
    }
}
