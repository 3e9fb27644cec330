using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Bench;

/// <summary>The load of a <c>shoal bench</c>.</summary>
internal sealed record BenchReportSettings
{
    /// <summary>Concurrent callers.</summary>
    [JsonPropertyName("concurrency")] public int Concurrency { get; init; }

    /// <summary>Connections.</summary>
    [JsonPropertyName("connections")] public int Connections { get; init; }

    /// <summary>The scenario (<c>--scenario</c>).</summary>
    [JsonPropertyName("scenario")] public string Scenario { get; init; } = "unary";

    /// <summary>Payload bytes per message; null for unary SayHello.</summary>
    [JsonPropertyName("payload_bytes")] public int? PayloadBytes { get; init; }

    /// <summary>How native connections receive: <c>async</c> (socket I/O on the thread pool, the default) or <c>dedicated</c> (a thread each).</summary>
    [JsonPropertyName("native_receive")] public string NativeReceive { get; init; } = "engine";

    /// <summary>How long a native connection polls for a reply it expects before it waits, in microseconds (0: off).</summary>
    [JsonPropertyName("native_receive_poll_us")] public double NativeReceivePollMicroseconds { get; init; }

    /// <summary>Where native unary continuations run: <c>inline</c> (on the receive loop) or <c>pool</c>.</summary>
    [JsonPropertyName("native_continuations")] public string NativeContinuations { get; init; } = "inline";

    /// <summary>Measured seconds per run.</summary>
    [JsonPropertyName("duration_s")] public double DurationSeconds { get; init; }

    /// <summary>Warm-up seconds per run.</summary>
    [JsonPropertyName("warmup_s")] public double WarmupSeconds { get; init; }

    /// <summary>The longest extension of each warm-up while throughput still rose, in seconds.</summary>
    [JsonPropertyName("warmup_extend_s")] public double WarmupExtendSeconds { get; init; }

    /// <summary><c>Release</c> or <c>Debug</c>: how this program was compiled.</summary>
    [JsonPropertyName("build")] public string Build { get; init; } = BuildKind();

    /// <summary>The load balancer asked for, if any.</summary>
    [JsonPropertyName("lb")] public string? LoadBalancer { get; init; }

    /// <summary>The strategy asked for, if any.</summary>
    [JsonPropertyName("strategy")] public string? Strategy { get; init; }

    /// <summary>Whether <c>--idempotent</c> marked SayHello idempotent.</summary>
    [JsonPropertyName("idempotent")] public bool Idempotent { get; init; }

    /// <summary>Servers started for <c>--instances</c>; null without it.</summary>
    [JsonPropertyName("instances")] public int? Instances { get; init; }

    /// <summary>Whether this assembly was compiled with optimizations.</summary>
    public static string BuildKind() =>
        typeof(BenchReport).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true ? "Debug" : "Release";
}
