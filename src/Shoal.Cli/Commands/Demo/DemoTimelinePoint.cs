using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo;

/// <summary>The cluster at the end of one control interval of the autoscaling demo.</summary>
internal sealed record DemoTimelinePoint
{
    /// <summary>Seconds since the load started.</summary>
    [JsonPropertyName("t")] public double T { get; init; }

    /// <summary>Calls offered in the interval, per second.</summary>
    [JsonPropertyName("load")] public double Load { get; init; }

    /// <summary>The policy's forecast one lead time ahead, calls per second.</summary>
    [JsonPropertyName("forecast")] public double Forecast { get; init; }

    /// <summary>Replicas asked for after the decision.</summary>
    [JsonPropertyName("replicas")] public int Replicas { get; init; }

    /// <summary>Replicas registered and serving when the interval ended.</summary>
    [JsonPropertyName("ready")] public int Ready { get; init; }

    /// <summary>p99 latency of the calls completed in the interval, milliseconds.</summary>
    [JsonPropertyName("p99_ms")] public double P99Ms { get; init; }

    /// <summary>Failed calls in the interval.</summary>
    [JsonPropertyName("errors")] public long Errors { get; init; }
}
