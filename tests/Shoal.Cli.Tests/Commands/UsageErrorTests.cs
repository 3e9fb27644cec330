using Shoal.Cli.Commands;
using Shoal.Cli.Commands.Bench;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands;

/// <summary>Command lines that make no sense exit 2 with a line on stderr, and run nothing.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("nosuchcommand")]
    [InlineData("bench", "--concurrency", "0")]
    [InlineData("bench", "--concurrency", "many")]
    [InlineData("bench", "--connections", "0")]
    [InlineData("bench", "--connections", "8", "--concurrency", "4")]
    [InlineData("bench", "--connections", "100")]
    [InlineData("bench", "--duration", "soon")]
    [InlineData("bench", "--duration", "10ms")]
    [InlineData("bench", "--warmup", "-1s")]
    [InlineData("bench", "--lb", "fastest")]
    [InlineData("bench", "--strategy", "retry_forever")]
    [InlineData("bench", "--client", "curl")]
    [InlineData("bench", "--compare", "--target", "shoal://127.0.0.1:7000")]
    [InlineData("bench", "--bogus")]
    [InlineData("bench", "--target", "nope://127.0.0.1:7000/hello.Greeter", "--duration", "1s")]
    [InlineData("autoscale", "run", "--registry", "nope://127.0.0.1:7000", "--service", "hello.Greeter", "--duration", "1s")]
    [InlineData("serve", "--tcp-port", "70000")]
    [InlineData("serve", "--grpc-port", "-2")]
    [InlineData("serve", "--delay-ms", "-1")]
    [InlineData("serve", "--plain-grpc", "--grpc-port", "-1")]
    [InlineData("serve", "--tcp-port", "-1", "--grpc-port", "-1")]
    [InlineData("call")]
    [InlineData("call", "shoal://127.0.0.1:7000")]
    [InlineData("call", "a", "b", "c", "d")]
    [InlineData("demo", "extra")]
    public async Task BadCommandLine_ExitsTwo_WithAnErrorLine(params string[] args)
    {
        var (exitCode, output, error) = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith("shoal: ", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("not a target", "hello.Greeter/SayHello", "has no scheme")]
    [InlineData("shoal://127.0.0.1", "hello.Greeter/SayHello", "not host:port")]
    [InlineData("http://127.0.0.1:1", "SayHello", "is not a method")]
    [InlineData("http://127.0.0.1:1", "describe", "needs a service or message name")]
    public async Task BadCallArguments_ExitTwo_BeforeAnyCall(string target, string method, string message)
    {
        var (exitCode, _, error) = await CliRun.RunAsync("call", target, method);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadHeader_ExitsTwo()
    {
        var (exitCode, _, error) = await CliRun.RunAsync("call", "http://127.0.0.1:1", "hello.Greeter/SayHello", "-H", "no-colon");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("is not 'name: value'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchWithBadTarget_ExitsTwo()
    {
        var (exitCode, _, error) = await CliRun.RunAsync("bench", "--target", "nowhere", "--duration", "1s", "--warmup", "0");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("has no scheme", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryLoadBalancerAndStrategyName_IsAccepted()
    {
        var root = ShoalCli.BuildRootCommand();
        foreach (var lb in ChannelPolicyNames.LoadBalancers)
        {
            Assert.Empty(root.Parse(["bench", "--lb", lb]).Errors);
        }
        foreach (var strategy in ChannelPolicyNames.Strategies)
        {
            Assert.Empty(root.Parse(["bench", "--strategy", strategy]).Errors);
        }
    }

    [Fact]
    public async Task Help_ExitsZero_AndListsTheCommands()
    {
        var (exitCode, output, _) = await CliRun.RunAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var command in new[] { "demo", "serve", "call", "bench" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }
}
