using Shoal.Cli.Hosting;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands;

/// <summary>
/// <c>--idempotent</c> on <c>shoal call</c> and <c>shoal bench</c>: it marks what the command's
/// channel calls idempotent (a configuration override of the contract) and applies to cluster
/// targets only. What it changes under failure is shown by <c>Bench.InstanceLossTests</c>.
/// </summary>
public sealed class IdempotentFlagTests(ShoalGreeterServer server) : IClassFixture<ShoalGreeterServer>
{
    [Fact]
    public void ChannelOptions_Idempotent_MarkTheDefaultMethodAndNothingElse()
    {
        var options = ChannelFactory.Options(idempotent: true)!;

        Assert.Null(ChannelFactory.Options(idempotent: false));
        Assert.True(options.Cluster.DefaultMethod.Idempotent);
        Assert.Empty(options.Cluster.Methods);
        Assert.Equal("failover", options.Cluster.DefaultMethod.Strategy);
    }

    [Fact]
    public async Task CallThroughAClusterTarget_Idempotent_PrintsTheReply()
    {
        var target = $"static://{new Uri(server.Native).Authority}?strategy=hedging";

        var (exitCode, output, error) = await CliRun.RunAsync("call", target, "hello.Greeter/SayHello", """{"name":"Ida"}""", "--idempotent");

        Assert.True(exitCode == 0, error);
        Assert.Equal("{\"message\":\"Hello Ida\"}\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task BenchAgainstOneInstance_Idempotent_SaysItIsIgnoredAndRuns()
    {
        var (exitCode, output, error) = await CliRun.RunAsync(
            "bench", "--target", server.Native, "--idempotent", "--duration", "200ms", "--warmup", "0s", "--warmup-extend", "0", "--concurrency", "2", "--json");

        Assert.True(exitCode == 0, error);
        Assert.Contains("--idempotent apply to cluster targets", error, StringComparison.Ordinal);
        Assert.Contains("\"idempotent\":true", output, StringComparison.Ordinal);
    }
}
