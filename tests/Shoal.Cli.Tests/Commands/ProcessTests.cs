using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using Hello;
using Shoal.Cli.Commands;
using Shoal.Cli.Tests.Infrastructure;
using Shoal.Client;

namespace Shoal.Cli.Tests.Commands;

/// <summary>The built CLI run as its own process (<c>dotnet shoal.dll</c>): what a user types.</summary>
public sealed class ProcessTests(PlainGreeterServer plain) : IClassFixture<PlainGreeterServer>
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(120);

    private static async Task<T> PollAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = read();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout}.");
            }
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Serve_PrintsItsAddresses_AnswersOnBoth_AndStopsOnSigterm()
    {
        using var serve = CliProcess.Start("serve", "--tcp-port", "0", "--grpc-port", "0");
        using var ready = JsonDocument.Parse(await serve.FirstLineAsync(Startup));
        var native = ready.RootElement.GetProperty("native").GetString()!;
        var grpc = ready.RootElement.GetProperty("grpc").GetString()!;
        Assert.Equal(serve.Pid, ready.RootElement.GetProperty("pid").GetInt32());
        Assert.Equal("shoal", ready.RootElement.GetProperty("server").GetString());

        foreach (var target in new[] { native, grpc })
        {
            await using var channel = ShoalChannel.ForTarget(target);
            var reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "proc" }, deadline: DateTime.UtcNow.AddSeconds(30));
            Assert.Equal("Hello proc", reply.Message);
        }

        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("stopped", serve.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServePlainGrpc_ServesTheGreeterWithGrpcDotnet()
    {
        using var serve = CliProcess.Start("serve", "--plain-grpc", "--grpc-port", "0");
        using var ready = JsonDocument.Parse(await serve.FirstLineAsync(Startup));
        Assert.Equal(JsonValueKind.Null, ready.RootElement.GetProperty("native").ValueKind);
        Assert.Equal("grpc-dotnet", ready.RootElement.GetProperty("server").GetString());

        using var channel = GrpcChannel.ForAddress(ready.RootElement.GetProperty("grpc").GetString()!);
        var reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "plain" }, deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.Equal("Hello plain", reply.Message);

        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Call_UnaryOverGrpc_PrintsJson_AndFailuresExitOne()
    {
        var ok = await CliProcess.RunAsync(Run, null, "call", plain.Address, "hello.Greeter/SayHello", """{"name":"p"}""");
        var failed = await CliProcess.RunAsync(Run, null, "call", plain.Address, "hello.Greeter/SayHello", "-H", "x-fail-code: Unavailable");

        Assert.True(ok.ExitCode == 0, ok.Error);
        Assert.Equal("{\"message\":\"Hello p\"}", ok.Output.Trim());
        Assert.Equal(ExitCodes.Failure, failed.ExitCode);
        Assert.StartsWith("ERROR: Unavailable: ", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_ClientStreamingFromStdin_SendsEveryLine()
    {
        var result = await CliProcess.RunAsync(Run, "{\"name\":\"a\"}\n{\"name\":\"b\"}\n", "call", plain.Address, "hello.GreeterStreams/SayHelloToAll", "-d", "@");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("{\"message\":\"Hello a, b\"}", result.Output.Trim());
    }

    [Fact]
    public async Task BadFlag_ExitsTwo()
    {
        var result = await CliProcess.RunAsync(Run, null, "bench", "--concurrency", "-3");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--concurrency must be at least 1", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shoal")]
    [InlineData("grpc-dotnet")]
    public async Task BenchAgainstATarget_ShortRun_PrintsOneJsonDocument(string client)
    {
        var result = await CliProcess.RunAsync(Run, null,
            "bench", "--target", plain.Address, "--client", client, "--duration", "1s", "--warmup", "1s", "--concurrency", "4", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        var run = Assert.Single(document.RootElement.GetProperty("results").EnumerateArray());
        Assert.True(run.GetProperty("rps").GetDouble() > 0);
        Assert.Equal(0, run.GetProperty("errors").GetInt64());
        Assert.True(run.GetProperty("p99_us").GetDouble() >= run.GetProperty("p50_us").GetDouble());
        Assert.Equal(4, document.RootElement.GetProperty("settings").GetProperty("concurrency").GetInt32());
    }

    [Fact]
    public async Task BenchCompare_ShortRun_RunsAllFourAgainstServersItStarts()
    {
        var result = await CliProcess.RunAsync(TimeSpan.FromSeconds(180), null,
            "bench", "--compare", "--duration", "1s", "--warmup", "2s", "--concurrency", "8", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        var runs = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["shoal-tcp", "shoal-cluster", "shoal-grpc", "grpc-dotnet"], runs.Select(r => r.GetProperty("name").GetString()));
        Assert.All(runs, r =>
        {
            Assert.True(r.GetProperty("rps").GetDouble() > 0);
            Assert.Equal(0, r.GetProperty("errors").GetInt64());
            Assert.True(r.GetProperty("rps_ratio").GetDouble() > 0);
            Assert.True(r.GetProperty("server_cpu_pct").GetDouble() >= 0);
            Assert.True(r.GetProperty("client_bytes_per_call").GetDouble() > 0);
        });
        Assert.StartsWith("shoal://127.0.0.1:", runs[0].GetProperty("target").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("static://127.0.0.1:", runs[1].GetProperty("target").GetString(), StringComparison.Ordinal);
        Assert.True(runs[1].GetProperty("rps_vs_direct").GetDouble() > 0);
        Assert.Equal(1.0, runs[3].GetProperty("rps_ratio").GetDouble());
    }

    [Fact]
    public async Task BenchCompare_Sigterm_StopsItsServerAndExits130()
    {
        using var bench = CliProcess.Start("bench", "--compare", "--warmup", "60s", "--duration", "1s");
        var started = await PollAsync(() => Regex.Match(bench.Error, @"started the Shoal server \(pid (\d+)\)"), m => m.Success, Startup);
        var serverPid = int.Parse(started.Groups[1].Value, CultureInfo.InvariantCulture);
        await PollAsync(() => bench.Error.Contains("warming up", StringComparison.Ordinal), warming => warming, Startup);

        bench.Terminate();

        Assert.Equal(ExitCodes.Interrupted, await bench.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("shoal: interrupted", bench.Error, StringComparison.Ordinal);
        Assert.False(File.Exists($"/proc/{serverPid}/stat") && !File.ReadAllText($"/proc/{serverPid}/stat").Contains(") Z ", StringComparison.Ordinal),
            $"the server process {serverPid} outlived bench");
    }

    [Fact]
    public async Task Demo_AsAProcess_ExitsZero()
    {
        var result = await CliProcess.RunAsync(Run, null, "demo", "--quick");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("All 8 calls succeeded over both transports.", result.Output, StringComparison.Ordinal);
    }
}
