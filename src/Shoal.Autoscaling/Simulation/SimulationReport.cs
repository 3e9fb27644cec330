namespace Shoal.Autoscaling.Simulation;

/// <summary>What one policy did on one trace.</summary>
public sealed record SimulationReport
{
    /// <summary>Gets the policy's name.</summary>
    public required string Policy { get; init; }

    /// <summary>Gets the trace's name.</summary>
    public required string Trace { get; init; }

    /// <summary>Gets the HPA target utilisation, for HPA runs.</summary>
    public double? Target { get; init; }

    /// <summary>Gets the value of Shoal's knob (the quantile provisioned for), for the runs of a sweep.</summary>
    public double? Knob { get; init; }

    /// <summary>Gets the minutes during which the offered load exceeded the ready capacity.</summary>
    public double OverloadedMinutes { get; init; }

    /// <summary>Gets the requests beyond the ready capacity (not served in time).</summary>
    public double UnservedRequests { get; init; }

    /// <summary>Gets the requests offered in total.</summary>
    public double TotalRequests { get; init; }

    /// <summary>Gets the cost: replica-minutes of every started replica, including starting and draining ones.</summary>
    public double ReplicaMinutes { get; init; }

    /// <summary>Gets the decisions that changed the replica count.</summary>
    public int ScaleEvents { get; init; }

    /// <summary>Gets the decisions that added replicas.</summary>
    public int ScaleUps { get; init; }

    /// <summary>Gets the decisions that removed replicas.</summary>
    public int ScaleDowns { get; init; }

    /// <summary>Gets the most replicas running at once.</summary>
    public int PeakReplicas { get; init; }

    /// <summary>Gets the simulated duration in minutes.</summary>
    public double DurationMinutes { get; init; }

    /// <summary>Gets the capacity per replica used, requests per second.</summary>
    public double CapacityPerInstance { get; init; }

    /// <summary>Gets the cluster at the end of every trace interval.</summary>
    public IReadOnlyList<TimelinePoint> Timeline { get; init; } = [];
}
