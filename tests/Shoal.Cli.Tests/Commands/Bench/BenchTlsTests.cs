using System.Text.Json;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands.Bench;

/// <summary><c>shoal bench --compare --tls</c>: shoal-tcp over TLS, measured in the same run as over plaintext.</summary>
public sealed class BenchTlsTests
{
    [Fact]
    public async Task BenchCompareTls_ShortRun_AddsTheTlsRunWithItsRatioToShoalTcpAndNoErrors()
    {
        var result = await CliProcess.RunAsync(TimeSpan.FromSeconds(240), null,
            "bench", "--compare", "--tls", "--duration", "1s", "--warmup", "1s", "--concurrency", "4", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        var runs = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["shoal-tcp", "shoal-cluster", "shoal-grpc", "shoal-tcp-tls", "grpc-dotnet"], runs.Select(r => r.GetProperty("name").GetString()));
        var tls = runs[3];
        Assert.True(tls.GetProperty("rps").GetDouble() > 0);
        Assert.Equal(0, tls.GetProperty("errors").GetInt64());
        Assert.Equal(0, runs[0].GetProperty("errors").GetInt64());
        Assert.True(tls.GetProperty("rps_vs_direct").GetDouble() > 0);
        Assert.Contains("started the Shoal (TLS) server", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchTls_WithoutCompare_IsAUsageError()
    {
        var result = await CliProcess.RunAsync(TimeSpan.FromSeconds(60), null, "bench", "--tls");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--tls", result.Error, StringComparison.Ordinal);
    }
}
