namespace Shoal.Autoscaling.Simulation;

/// <summary>What <c>shoal autoscale simulate</c> was asked to do, as given on the command line.</summary>
public sealed record SimulationRequest
{
    /// <summary>Gets the trace CSV file, or null when a synthetic trace is asked for.</summary>
    public string? TracePath { get; init; }

    /// <summary>Gets the synthetic trace's name, or null when a file is given.</summary>
    public string? Synthetic { get; init; }

    /// <summary>Gets the seed of the synthetic trace.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Gets the policy: "shoal" or "hpa".</summary>
    public string Policy { get; init; } = "shoal";

    /// <summary>Gets the HPA target utilisation for a single HPA run.</summary>
    public double HpaTarget { get; init; } = 0.7;

    /// <summary>Gets the startup delay as text ("60s", "2m", "1500ms", or seconds).</summary>
    public string Startup { get; init; } = "60s";

    /// <summary>Gets the drain delay as text.</summary>
    public string Drain { get; init; } = "30s";

    /// <summary>Gets the requests per second one replica serves, or null for the trace's peak over 20.</summary>
    public double? Capacity { get; init; }

    /// <summary>Gets whether Shoal is compared with the HPA sweep.</summary>
    public bool Compare { get; init; }

    /// <summary>Gets whether the output is JSON.</summary>
    public bool Json { get; init; }

    /// <summary>Gets whether JSON output includes the timeline (always for a single run, on request for a comparison).</summary>
    public bool Timeline { get; init; }
}
