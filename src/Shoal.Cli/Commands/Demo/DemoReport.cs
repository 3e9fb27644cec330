using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo;

/// <summary>What <c>shoal demo</c> did: the host it started, the calls it made, and a latency sample per transport.</summary>
internal sealed record DemoReport
{
    /// <summary>The host's native address.</summary>
    [JsonPropertyName("native")] public required string Native { get; init; }

    /// <summary>The host's gRPC address.</summary>
    [JsonPropertyName("grpc")] public required string Grpc { get; init; }

    /// <summary>Every call, in order.</summary>
    [JsonPropertyName("steps")] public required IReadOnlyList<DemoStep> Steps { get; init; }

    /// <summary>Sequential unary latency per transport.</summary>
    [JsonPropertyName("latency")] public required IReadOnlyList<DemoLatency> Latency { get; init; }

    /// <summary>Whether every call succeeded.</summary>
    [JsonPropertyName("ok")] public bool Ok => Steps.All(s => s.Ok) && Latency.All(l => l.Errors == 0);

    /// <summary>A short summary for people.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine("Shoal demo: one Greeter host, two transports, the unchanged generated clients.")
            .AppendLine(CultureInfo.InvariantCulture, $"  native protocol  {Native}")
            .AppendLine(CultureInfo.InvariantCulture, $"  gRPC (HTTP/2)    {Grpc}")
            .AppendLine();
        var methodWidth = Steps.Max(s => s.Method.Length);
        var kindWidth = Steps.Max(s => s.Kind.Length);
        foreach (var step in Steps)
        {
            var result = string.Join(" | ", step.Result);
            if (result.Length > 70)
            {
                result = result[..67] + "...";
            }
            text.Append(CultureInfo.InvariantCulture, $"  {(step.Ok ? "ok  " : "FAIL")} {step.Transport,-6} {step.Method.PadRight(methodWidth)}  {step.Kind.PadRight(kindWidth)}  {step.Milliseconds,7:0.0} ms  {result}")
                .AppendLine();
        }
        text.AppendLine();
        foreach (var sample in Latency)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {sample.Transport,-6} {sample.Calls} sequential SayHello calls: p50 {sample.P50Us:0} us, p99 {sample.P99Us:0} us{(sample.Errors > 0 ? $", {sample.Errors} errors" : "")}");
        }
        text.AppendLine();
        var failed = Steps.Count(s => !s.Ok);
        text.AppendLine(Ok
            ? $"All {Steps.Count} calls succeeded over both transports."
            : $"{failed} of {Steps.Count} calls failed.");
        return text.ToString();
    }
}
