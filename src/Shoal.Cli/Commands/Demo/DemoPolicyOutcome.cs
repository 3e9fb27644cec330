using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo;

/// <summary>Cost and overload of one way of scaling on the demo's recorded load.</summary>
internal sealed record DemoPolicyOutcome
{
    /// <summary><c>demo (measured)</c>, <c>shoal (simulated)</c> or <c>hpa-70% (simulated)</c>.</summary>
    [JsonPropertyName("policy")] public required string Policy { get; init; }

    /// <summary>Replica-minutes of demo time (the cost).</summary>
    [JsonPropertyName("replica_minutes")] public double ReplicaMinutes { get; init; }

    /// <summary>Control intervals whose offered load exceeded the ready capacity.</summary>
    [JsonPropertyName("overloaded_intervals")] public int OverloadedIntervals { get; init; }

    /// <summary>Calls beyond the ready capacity (served late).</summary>
    [JsonPropertyName("unserved_requests")] public double UnservedRequests { get; init; }

    /// <summary>Decisions that changed the replica count.</summary>
    [JsonPropertyName("scale_events")] public int ScaleEvents { get; init; }
}
