using System.Globalization;
using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Bench;

/// <summary>The machine a benchmark ran on.</summary>
internal sealed record BenchMachine
{
    /// <summary>Logical processors.</summary>
    [JsonPropertyName("cores")] public int Cores { get; init; } = Environment.ProcessorCount;

    /// <summary>The operating system.</summary>
    [JsonPropertyName("os")] public string Os { get; init; } = System.Runtime.InteropServices.RuntimeInformation.OSDescription;

    /// <summary>The .NET runtime.</summary>
    [JsonPropertyName("runtime")] public string Runtime { get; init; } = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    /// <summary>When the benchmark finished (UTC, ISO 8601).</summary>
    [JsonPropertyName("time")] public string Time { get; init; } = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
