using Grpc.Core;
using Shoal.Bench;
using Shoal.Cli.Commands;
using Shoal.Cli.Commands.Bench;
using Shoal.Cli.Commands.Bench.Scenarios;
using Shoal.Cli.Tests.Infrastructure;
using Shoal.Client;

namespace Shoal.Cli.Tests.Commands.Bench;

/// <summary>Short runs of every scenario in this process, over the native protocol and against plain grpc-dotnet: the counters, not the speed.</summary>
public sealed class BenchScenarioTests(PlainGreeterServer plain, ShoalGreeterServer shoal)
    : IClassFixture<PlainGreeterServer>, IClassFixture<ShoalGreeterServer>
{
    private static readonly CommandIO Quiet = new(TextWriter.Null, TextWriter.Null, CancellationToken.None);

    [Theory]
    [InlineData("server-stream", 100, 1, 1)]
    [InlineData("client-stream", 100, 1, 1)]
    [InlineData("duplex", 100, 4, 2)]
    [InlineData("large", 64 * 1024, 2, 1)]
    public async Task Scenario_OneSecondOnEachTransport_CountsMessagesAndBytes(string name, int payload, int concurrency, int connections)
    {
        var scenario = BenchScenario.Parse(name);
        var settings = new BenchSettings
        {
            Scenario = scenario,
            Payload = payload,
            Concurrency = concurrency,
            Connections = connections,
            Duration = TimeSpan.FromSeconds(1),
            Warmup = TimeSpan.FromSeconds(1),
            WarmupExtension = TimeSpan.Zero,
        };

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var native = await BenchPlanRunner.RunOneAsync("shoal-tcp", shoal.Native, plainClient: false, settings, serverPids: [], Quiet);
        var nativeTook = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var grpc = await BenchPlanRunner.RunOneAsync("grpc-dotnet", plain.Address, plainClient: true, settings, serverPids: [], Quiet);

        // A run in one window ends when its time is up: it does not wait for a stream's caller to pause
        // (which it never does) as an alternating run waits for calls in flight (up to 10 s). Connecting,
        // a second of quiet, warm-up and window take about 3 s.
        Assert.True(nativeTook < TimeSpan.FromSeconds(11), $"the run took {nativeTook.TotalSeconds:0.0} s");

        foreach (var result in new[] { native, grpc })
        {
            Assert.True(result.Errors == 0, $"{result.Name}: {result.FirstError}");
            Assert.True(result.Requests > 0, $"{result.Name}: no operation completed");
            Assert.NotNull(result.MbPerSecond);
            // Every operation moves the payload once (one-way streams) or once each way (duplex, large): MB/s follows from ops/s.
            var bytesPerOperation = scenario.ReportsMessages && name != "duplex" ? payload : 2 * payload;
            Assert.Equal(result.Rps * bytesPerOperation / 1e6, result.MbPerSecond!.Value, 0.05 * result.MbPerSecond.Value + 0.1);
            Assert.Equal(scenario.ReportsMessages ? result.Rps : null, result.MsgsPerSecond);
            Assert.Equal(name is "duplex" or "large", result.HasLatency);
        }
    }

    [Fact]
    public async Task SocketCopy_OneSecond_MovesBytesBothWays()
    {
        var settings = new BenchSettings { Connections = 2, Duration = TimeSpan.FromSeconds(1), Warmup = TimeSpan.FromMilliseconds(200) };

        var result = await SocketCopy.RunAsync(64 * 1024, settings, CancellationToken.None);

        Assert.Equal(SocketCopy.RunName, result.Name);
        Assert.True(result.MbPerSecond > 0);
        Assert.Equal(result.Rps * 2 * 64 * 1024 / 1e6, result.MbPerSecond!.Value, 0.01 * result.MbPerSecond.Value + 0.1);
        Assert.False(result.HasLatency);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(BenchmarkService.MaxMessageSize + 1, 0)]
    [InlineData(8, -5)]
    public async Task Subscribe_BadRequest_IsInvalidArgument_AndTheServerGoesOn(int messageSize, long count)
    {
        await using var channel = ShoalChannel.ForTarget(shoal.Native);
        var client = new Benchmark.BenchmarkClient(channel);

        using var call = client.Subscribe(new SubscribeRequest { MessageSize = messageSize, Count = count }, deadline: DateTime.UtcNow.AddSeconds(30));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        using var good = client.Subscribe(new SubscribeRequest { MessageSize = 8, Count = 3 }, deadline: DateTime.UtcNow.AddSeconds(30));
        var received = 0;
        while (await good.ResponseStream.MoveNext(CancellationToken.None))
        {
            Assert.Equal(8, good.ResponseStream.Current.Body.Length);
            received++;
        }
        Assert.Equal(3, received);
    }

    [Fact]
    public void Report_WithASocketCopy_GivesEveryRunWithBytesItsRatio_AndNoLatencyRatioWithoutLatencies()
    {
        var results = BenchReport.WithRatios(
        [
            new BenchResult { Name = "shoal-tcp", Target = "a", Rps = 100, MbPerSecond = 200, P50Us = 10, P99Us = 20, MaxUs = 30 },
            new BenchResult { Name = "grpc-dotnet", Target = "b", Rps = 50, MbPerSecond = 100, P50Us = 20, P99Us = 40, MaxUs = 50 },
            new BenchResult { Name = SocketCopy.RunName, Target = "c", Rps = 400, MbPerSecond = 800 },
        ]);

        Assert.Equal([0.25, 0.125, 1.0], results.Select(r => r.MbVsSocketCopy!.Value));
        Assert.Equal(2.0, results[0].RpsRatio);
        Assert.Equal(0.5, results[0].P99Ratio);
        Assert.Null(results[2].P99Ratio);
        Assert.Null(results[2].P50Ratio);
    }
}
