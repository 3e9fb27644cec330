using System.Text.Json;
using Shoal.Cli.Commands.Demo;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands.Demo;

public sealed class DemoTests(PlainGreeterServer plain) : IClassFixture<PlainGreeterServer>
{
    [Fact]
    public async Task DemoCalls_AgainstPlainGrpc_EveryKindSucceeds()
    {
        using var channel = plain.CreateChannel();

        var steps = await DemoRunner.RunCallsAsync("grpc", plain.Address, channel.CreateCallInvoker(), CancellationToken.None);

        Assert.All(steps, s => Assert.True(s.Ok, string.Join(" ", s.Result)));
        Assert.Equal(["unary", "server-streaming", "client-streaming", "bidi-streaming"], steps.Select(s => s.Kind));
        Assert.Equal(["Hello Ada, Grace, Linus"], steps[2].Result);
        Assert.Equal(["Hello Ada", "Hello Grace", "Hello Linus"], steps[3].Result);
    }

    [Fact]
    public async Task Demo_InProcess_SucceedsOverBothTransports()
    {
        var report = await DemoRunner.RunAsync(CancellationToken.None);

        Assert.True(report.Ok, report.ToText());
        Assert.Equal(8, report.Steps.Count);
        Assert.Equal(["native", "grpc"], report.Steps.Select(s => s.Transport).Distinct());
        Assert.StartsWith("shoal://127.0.0.1:", report.Native, StringComparison.Ordinal);
        Assert.StartsWith("http://127.0.0.1:", report.Grpc, StringComparison.Ordinal);
        Assert.All(report.Latency, l => Assert.True(l.P50Us > 0));
        Assert.Contains("All 8 calls succeeded over both transports.", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoJson_IsOneDocument()
    {
        var (exitCode, output, error) = await CliRun.RunAsync("demo", "--quick", "--json");

        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        Assert.True(document.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(8, document.RootElement.GetProperty("steps").GetArrayLength());
    }

    [Fact]
    public void FailedStep_MakesTheReportNotOk()
    {
        var report = new DemoReport
        {
            Native = "shoal://h:1",
            Grpc = "http://h:2",
            Steps = [new DemoStep { Transport = "native", Target = "shoal://h:1", Method = "m", Kind = "unary", Ok = false, Result = ["Unavailable: down"] }],
            Latency = [],
        };

        Assert.False(report.Ok);
        Assert.Contains("FAIL", report.ToText(), StringComparison.Ordinal);
        Assert.Contains("1 of 1 calls failed.", report.ToText(), StringComparison.Ordinal);
    }
}
