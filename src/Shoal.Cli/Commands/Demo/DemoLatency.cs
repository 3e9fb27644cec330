using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo;

/// <summary>A small sequential latency sample over one transport (not a benchmark: see <c>shoal bench</c>).</summary>
internal sealed record DemoLatency
{
    /// <summary><c>native</c> or <c>grpc</c>.</summary>
    [JsonPropertyName("transport")] public required string Transport { get; init; }

    /// <summary>Calls made.</summary>
    [JsonPropertyName("calls")] public int Calls { get; init; }

    /// <summary>Failed calls.</summary>
    [JsonPropertyName("errors")] public int Errors { get; init; }

    /// <summary>Median latency in microseconds.</summary>
    [JsonPropertyName("p50_us")] public double P50Us { get; init; }

    /// <summary>99th percentile latency in microseconds.</summary>
    [JsonPropertyName("p99_us")] public double P99Us { get; init; }
}
