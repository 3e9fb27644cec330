using System.Text.Json;
using Shoal.Cli.Commands;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands.Bench;

/// <summary><c>shoal bench --scenario</c> as a user runs it: its own processes, one JSON document, the fields each scenario promises.</summary>
public sealed class BenchScenarioProcessTests
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task LargeCompare_ShortRun_AddsTheSocketCopyAndItsRatios()
    {
        var result = await CliProcess.RunAsync(Run, null,
            "bench", "--scenario", "large", "--payload", "65536", "--compare", "-d", "2s", "--warmup", "2s", "--warmup-extend", "0s", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        var settings = document.RootElement.GetProperty("settings");
        Assert.Equal("large", settings.GetProperty("scenario").GetString());
        Assert.Equal(65536, settings.GetProperty("payload_bytes").GetInt32());
        Assert.Equal(4, settings.GetProperty("concurrency").GetInt32());
        var runs = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["shoal-tcp", "shoal-cluster", "shoal-grpc", "grpc-dotnet", "socket-copy"], runs.Select(r => r.GetProperty("name").GetString()));
        Assert.All(runs, r =>
        {
            Assert.Equal(0, r.GetProperty("errors").GetInt64());
            Assert.True(r.GetProperty("mb_per_s").GetDouble() > 0, r.GetProperty("name").GetString());
            Assert.True(r.GetProperty("mb_vs_socket_copy").GetDouble() > 0);
            Assert.Equal(JsonValueKind.Null, r.GetProperty("msgs_per_s").ValueKind);
        });
        Assert.True(runs[0].GetProperty("rps_ratio").GetDouble() > 0);
        Assert.Equal(1.0, runs[4].GetProperty("mb_vs_socket_copy").GetDouble());
    }

    [Fact]
    public async Task UnaryWithConnections_ShortRun_AddsTheSocketEchoAndItsRatio()
    {
        var result = await CliProcess.RunAsync(Run, null,
            "bench", "-c", "5", "--connections", "2", "-d", "1s", "--warmup", "1s", "--warmup-extend", "0s", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        var runs = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["shoal-tcp", "socket-echo"], runs.Select(r => r.GetProperty("name").GetString()));
        Assert.All(runs, r =>
        {
            Assert.Equal(0, r.GetProperty("errors").GetInt64());
            Assert.True(r.GetProperty("rps").GetDouble() > 0, r.GetProperty("name").GetString());
            Assert.Equal(2, r.GetProperty("footprint").GetProperty("connections").GetInt32());
        });
        Assert.True(runs[0].GetProperty("rps_vs_socket_echo").GetDouble() > 0);
        Assert.Equal(1.0, runs[1].GetProperty("rps_vs_socket_echo").GetDouble());
        Assert.Contains("socket-echo: 46-byte requests and 29-byte replies", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnaryWithoutConnections_ShortRun_HasNoSocketEcho()
    {
        var result = await CliProcess.RunAsync(Run, null, "bench", "-c", "2", "-d", "1s", "--warmup", "1s", "--warmup-extend", "0s", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        Assert.Equal(50.0, document.RootElement.GetProperty("settings").GetProperty("native_receive_poll_us").GetDouble());
        Assert.Equal("engine", document.RootElement.GetProperty("settings").GetProperty("native_receive").GetString());
        var run = Assert.Single(document.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal("shoal-tcp", run.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("rps_vs_socket_echo").ValueKind);
    }

    [Fact]
    public async Task ServerStream_TextOutput_ShowsMessagesAndMegabytesPerSecond()
    {
        var result = await CliProcess.RunAsync(Run, null, "bench", "--scenario", "server-stream", "-d", "1s", "--warmup", "1s", "--warmup-extend", "0s");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("shoal.bench.Benchmark/Subscribe, 16-byte messages", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"run\s+ops/s\s+msgs/s\s+MB/s\s+p50", result.Output);
        Assert.Matches(@"shoal-tcp\s+[\d,]+\s+[\d,]+\s+[\d.,]+\s+-\s+-", result.Output);
    }

    [Theory]
    [InlineData("bench", "--scenario", "bulk")]
    [InlineData("bench", "--payload", "100")]
    [InlineData("bench", "--scenario", "large", "--payload", "-1")]
    [InlineData("bench", "--scenario", "large", "--payload", "5000000")]
    [InlineData("bench", "--native-receive", "spin")]
    [InlineData("bench", "--native-continuations", "spin")]
    [InlineData("bench", "--native-receive-poll", "-1ms")]
    [InlineData("bench", "--native-receive-poll", "soon")]
    [InlineData("bench", "--native-receive-poll", "2s")]
    public async Task BadScenarioArguments_ExitTwo_WithAnErrorLine(params string[] args)
    {
        var (exitCode, output, error) = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith("shoal: ", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }
}
