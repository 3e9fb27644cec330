using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo;

/// <summary>What the autoscaling demo did: calls, failures, scaling, the timeline, and the HPA comparison.</summary>
internal sealed partial record AutoscaleDemoReport
{
    /// <summary>Calls made.</summary>
    [JsonPropertyName("calls")] public long Calls { get; init; }

    /// <summary>Calls that failed (must be 0).</summary>
    [JsonPropertyName("failed")] public long Failed { get; init; }

    /// <summary>p99 latency over the whole run, milliseconds (from when each call was due).</summary>
    [JsonPropertyName("p99_ms")] public double P99Ms { get; init; }

    /// <summary>p50 latency over the whole run, milliseconds.</summary>
    [JsonPropertyName("p50_ms")] public double P50Ms { get; init; }

    /// <summary>Decisions that added replicas.</summary>
    [JsonPropertyName("scale_outs")] public int ScaleOuts { get; init; }

    /// <summary>Decisions that removed replicas (each by drain).</summary>
    [JsonPropertyName("scale_ins")] public int ScaleIns { get; init; }

    /// <summary>Crashed instances the actuator started again.</summary>
    [JsonPropertyName("restarts")] public int Restarts { get; init; }

    /// <summary>One point per control interval.</summary>
    [JsonPropertyName("timeline")] public required IReadOnlyList<DemoTimelinePoint> Timeline { get; init; }

    /// <summary>Scale decisions, the SIGKILL and the restart.</summary>
    [JsonPropertyName("events")] public required IReadOnlyList<DemoEvent> Events { get; init; }

    /// <summary>Calls per second one instance serves.</summary>
    [JsonPropertyName("capacity_per_instance")] public double CapacityPerInstance { get; init; }

    /// <summary>The load's peak, calls per second.</summary>
    [JsonPropertyName("peak_rps")] public double PeakRps { get; init; }

    /// <summary>The load's source.</summary>
    [JsonPropertyName("trace")] public string Trace { get; init; } = "";

    /// <summary>The run's length in seconds.</summary>
    [JsonPropertyName("duration_s")] public double DurationSeconds { get; init; }

    /// <summary>The control interval in seconds.</summary>
    [JsonPropertyName("interval_s")] public double IntervalSeconds { get; init; }

    /// <summary>The provisioning lead time the policy plans for, seconds.</summary>
    [JsonPropertyName("lead_time_s")] public double LeadTimeSeconds { get; init; }

    /// <summary>The embedded registry's address.</summary>
    [JsonPropertyName("registry")] public string Registry { get; init; } = "";

    /// <summary>Every instance process started (pids).</summary>
    [JsonPropertyName("processes")] public IReadOnlyList<int> Processes { get; init; } = [];

    /// <summary>Started processes still alive when the demo ended (must be empty).</summary>
    [JsonPropertyName("processes_left")] public IReadOnlyList<int> ProcessesLeft { get; init; } = [];

    /// <summary>The pid killed with SIGKILL midway, 0 if none.</summary>
    [JsonPropertyName("killed_pid")] public int KilledPid { get; init; }

    /// <summary>The demo as measured, and Shoal's policy and HPA simulated on the same recorded load.</summary>
    [JsonPropertyName("comparison")] public IReadOnlyList<DemoPolicyOutcome> Comparison { get; init; } = [];

    /// <summary>The first failures, if any.</summary>
    [JsonPropertyName("failures")] public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>The HTML chart written, if any.</summary>
    [JsonPropertyName("html")] public string? Html { get; init; }

    /// <summary>Whether no call failed.</summary>
    [JsonPropertyName("ok")] public bool Ok => Failed == 0;
}
