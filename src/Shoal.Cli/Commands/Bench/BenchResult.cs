using System.Text.Json.Serialization;
using Shoal.Cli.Commands.Bench.Scenarios;

namespace Shoal.Cli.Commands.Bench;

/// <summary>The figures of one benchmark run, as <c>--json</c> prints them (latencies in microseconds).</summary>
internal sealed record BenchResult
{
    /// <summary>The run: <c>shoal-tcp</c>, <c>shoal-grpc</c>, <c>grpc-dotnet</c>, or the target for a single run.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>The target called.</summary>
    [JsonPropertyName("target")] public required string Target { get; init; }

    /// <summary>Completed calls per second while measuring.</summary>
    [JsonPropertyName("rps")] public double Rps { get; init; }

    /// <summary>Calls completed while measuring (successful ones).</summary>
    [JsonPropertyName("requests")] public long Requests { get; init; }

    /// <summary>Calls that failed while measuring.</summary>
    [JsonPropertyName("errors")] public long Errors { get; init; }

    /// <summary>The first error seen, if any.</summary>
    [JsonPropertyName("first_error")] public string? FirstError { get; init; }

    /// <summary>Median latency.</summary>
    [JsonPropertyName("p50_us")] public double P50Us { get; init; }

    /// <summary>90th percentile latency.</summary>
    [JsonPropertyName("p90_us")] public double P90Us { get; init; }

    /// <summary>99th percentile latency.</summary>
    [JsonPropertyName("p99_us")] public double P99Us { get; init; }

    /// <summary>99.9th percentile latency.</summary>
    [JsonPropertyName("p999_us")] public double P999Us { get; init; }

    /// <summary>Mean latency.</summary>
    [JsonPropertyName("mean_us")] public double MeanUs { get; init; }

    /// <summary>Largest latency.</summary>
    [JsonPropertyName("max_us")] public double MaxUs { get; init; }

    /// <summary>The bench process's CPU while measuring, in percent of one core.</summary>
    [JsonPropertyName("client_cpu_pct")] public double? ClientCpuPercent { get; init; }

    /// <summary>Bytes the bench process allocated per completed call while measuring (the client's whole call path, the load generator's own share included).</summary>
    [JsonPropertyName("client_bytes_per_call")] public double? ClientBytesPerCall { get; init; }

    /// <summary>The server process's CPU while measuring, in percent of one core; null when bench did not start the server.</summary>
    [JsonPropertyName("server_cpu_pct")] public double? ServerCpuPercent { get; init; }

    /// <summary>The measured time in seconds.</summary>
    [JsonPropertyName("duration_s")] public double DurationSeconds { get; init; }

    /// <summary>
    /// In how many slices the measured time was taken, alternating with another run's (<c>shoal-tcp</c>
    /// and <c>shoal-cluster</c> with <c>--compare</c>, for scenarios of short calls); null for one window.
    /// </summary>
    [JsonPropertyName("measured_slices")] public int? MeasuredSlices { get; init; }

    /// <summary>How long the warm-up lasted: <c>--warmup</c>, plus any extension while throughput still rose.</summary>
    [JsonPropertyName("warmup_s")] public double WarmupSeconds { get; init; }

    /// <summary>Completed calls per second during each second of the warm-up.</summary>
    [JsonPropertyName("warmup_rps_per_s")] public IReadOnlyList<double> WarmupRps { get; init; } = [];

    /// <summary>Completed calls per second during each measured second.</summary>
    [JsonPropertyName("measured_rps_per_s")] public IReadOnlyList<double> MeasuredRps { get; init; } = [];

    /// <summary>Whether throughput was still rising at the end of the warm-up (a longer <c>--warmup</c> is needed).</summary>
    [JsonPropertyName("warmup_too_short")] public bool WarmupTooShort { get; init; }

    /// <summary>Throughput divided by grpc-dotnet's in the same run (with <c>--compare</c>).</summary>
    [JsonPropertyName("rps_ratio")] public double? RpsRatio { get; init; }

    /// <summary>p99 latency divided by grpc-dotnet's in the same run (with <c>--compare</c>; lower is better).</summary>
    [JsonPropertyName("p99_ratio")] public double? P99Ratio { get; init; }

    /// <summary>For <c>shoal-cluster</c>: throughput divided by <c>shoal-tcp</c>'s (the same server without the cluster layer) in the same run; for <c>shoal-cluster-N</c> (<c>--instances</c>), divided by <c>shoal-cluster-1</c>'s.</summary>
    [JsonPropertyName("rps_vs_direct")] public double? RpsVsDirect { get; init; }

    /// <summary>Messages per second while measuring (stream scenarios: one direction's messages; duplex: round trips); null where it does not apply.</summary>
    [JsonPropertyName("msgs_per_s")] public double? MsgsPerSecond { get; init; }

    /// <summary>Payload megabytes (10^6 bytes) per second while measuring, both directions together; null where it does not apply.</summary>
    [JsonPropertyName("mb_per_s")] public double? MbPerSecond { get; init; }

    /// <summary>For <c>large</c> with <c>--compare</c>: MB/s divided by the plain socket copy's in the same run.</summary>
    [JsonPropertyName("mb_vs_socket_copy")] public double? MbVsSocketCopy { get; init; }

    /// <summary>For a unary run given <c>--connections</c>: throughput divided by <c>socket-echo</c>'s (the same bytes per call over plain loopback TCP) in the same run.</summary>
    [JsonPropertyName("rps_vs_socket_echo")] public double? RpsVsSocketEcho { get; init; }

    /// <summary>Memory and threads of client and server before the run, idle with its connections open, and under load.</summary>
    [JsonPropertyName("footprint")] public BenchFootprint? Footprint { get; init; }

    /// <summary>Whether the run timed its operations (a one-way stream or the socket copy does not).</summary>
    [JsonIgnore] public bool HasLatency => MaxUs > 0 || P99Us > 0;

    /// <summary>p50 latency divided by grpc-dotnet's in the same run (with <c>--compare</c>; lower is better).</summary>
    [JsonPropertyName("p50_ratio")] public double? P50Ratio { get; init; }
}
