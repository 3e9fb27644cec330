using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo;

/// <summary>The cluster at the end of one control interval of the autoscaling demo.</summary>
internal sealed record DemoTimelinePoint
{
    /// <summary>Seconds since the load started.</summary>
    [JsonPropertyName("t")] public double T { get; init; }

    /// <summary>Calls offered in the interval, per second, as the demo's client counted them.</summary>
    [JsonPropertyName("load")] public double Load { get; init; }

    /// <summary>
    /// The load shape's target rate for the interval, per second: what the client meant to offer. The
    /// counted load follows it, but on a starved machine the client starts late and catches up in bursts.
    /// </summary>
    [JsonPropertyName("target")] public double Target { get; init; }

    /// <summary>
    /// The load the policy scaled for: the offered load the instances reported (completed calls plus the growth
    /// of the calls queued in them), summed; null while no instance had reported.
    /// </summary>
    [JsonPropertyName("signal")] public double? Signal { get; init; }

    /// <summary>The policy's forecast for the tick its replicas serve (one lead time ahead), calls per second; null without a signal.</summary>
    [JsonPropertyName("forecast")] public double? Forecast { get; init; }

    /// <summary>The upper end of the forecast distribution the replicas were provisioned for (the knob's quantile); null without a signal.</summary>
    [JsonPropertyName("upper")] public double? Upper { get; init; }

    /// <summary>Replicas asked for after the decision.</summary>
    [JsonPropertyName("replicas")] public int Replicas { get; init; }

    /// <summary>Replicas registered and serving when the interval ended.</summary>
    [JsonPropertyName("ready")] public int Ready { get; init; }

    /// <summary>p99 latency of the calls completed in the interval, milliseconds.</summary>
    [JsonPropertyName("p99_ms")] public double P99Ms { get; init; }

    /// <summary>Failed calls in the interval.</summary>
    [JsonPropertyName("errors")] public long Errors { get; init; }
}
