namespace Shoal.Autoscaling.Simulation;

/// <summary>What <c>shoal autoscale simulate</c> was asked to do, as given on the command line.</summary>
public sealed record SimulationRequest
{
    /// <summary>Gets the trace CSV file, or null when a synthetic trace is asked for.</summary>
    public string? TracePath { get; init; }

    /// <summary>Gets the synthetic trace's family (<see cref="Corpus.TraceCorpus.Families"/>), or null when a file is given.</summary>
    public string? Synthetic { get; init; }

    /// <summary>Gets the seed of the synthetic trace.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Gets what the trace file's values are: "auto" (from the header), "count" (per interval) or "rate" (per second).</summary>
    public string Values { get; init; } = "auto";

    /// <summary>Gets the interval of a trace file without timestamps, as text ("1m", "15s"); null for one minute.</summary>
    public string? Interval { get; init; }

    /// <summary>Gets Shoal's knob in nines (<see cref="Policy.ShoalPolicyOptions.Nines"/>); null for the default.</summary>
    public double? Nines { get; init; }

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

    /// <summary>Gets whether Shoal's frontier is compared with the HPA's and the seasonal-naive baseline's.</summary>
    public bool Compare { get; init; }

    /// <summary>Gets whether the output is JSON.</summary>
    public bool Json { get; init; }

    /// <summary>Gets whether JSON output includes the timeline (always for a single run, on request for a comparison).</summary>
    public bool Timeline { get; init; }
}
