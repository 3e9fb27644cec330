using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo;

/// <summary>Something the autoscaling demo did: a scale-out or scale-in decision, the SIGKILL, a restart.</summary>
internal sealed record DemoEvent
{
    /// <summary>Seconds since the load started.</summary>
    [JsonPropertyName("t")] public double T { get; init; }

    /// <summary><c>scale-out</c>, <c>scale-in</c>, <c>sigkill</c>, <c>crashed</c> or <c>restarted</c>.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }

    /// <summary>Replicas before.</summary>
    [JsonPropertyName("from")] public int From { get; init; }

    /// <summary>Replicas after.</summary>
    [JsonPropertyName("to")] public int To { get; init; }

    /// <summary>Why (the policy's reason, or the instance concerned).</summary>
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";

    /// <summary>The offered load then, calls per second.</summary>
    [JsonPropertyName("load")] public double Load { get; init; }

    /// <summary>The forecast then, calls per second.</summary>
    [JsonPropertyName("forecast")] public double Forecast { get; init; }
}
