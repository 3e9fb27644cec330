using System.Text.Json;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Telemetry;

/// <summary><c>shoal bench --compare --telemetry</c>: shoal-tcp with the OpenTelemetry SDK attached, measured in the same run as without.</summary>
public sealed class BenchTelemetryTests
{
    [Fact]
    public async Task BenchCompareTelemetry_ShortRun_AddsTheTelemetryRunWithItsRatioToShoalTcp()
    {
        var result = await CliProcess.RunAsync(TimeSpan.FromSeconds(240), null,
            "bench", "--compare", "--telemetry", "--duration", "1s", "--warmup", "1s", "--concurrency", "4", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        var runs = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["shoal-tcp", "shoal-cluster", "shoal-grpc", "shoal-tcp-telemetry", "grpc-dotnet"], runs.Select(r => r.GetProperty("name").GetString()));
        var telemetry = runs[3];
        Assert.True(telemetry.GetProperty("rps").GetDouble() > 0);
        Assert.Equal(0, telemetry.GetProperty("errors").GetInt64());
        Assert.True(telemetry.GetProperty("rps_vs_direct").GetDouble() > 0);
        Assert.Contains("started the Shoal (telemetry on) server", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchTelemetry_WithoutCompare_IsAUsageError()
    {
        var result = await CliProcess.RunAsync(TimeSpan.FromSeconds(60), null, "bench", "--telemetry");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--telemetry", result.Error, StringComparison.Ordinal);
    }
}
