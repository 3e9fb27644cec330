using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Client;

public sealed class GreeterClientProcessTests
{
    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task GreeterClient_Target_CallsUnaryAndEachStreamingKind(TestTransport transport)
    {
        await using var host = await TestHost.StartAsync(only: transport);

        var (exitCode, stdout, stderr) = await SamplePrograms.RunAsync("Greeter.Client", TestHost.Timeout, "--target", host.Target(transport));

        Assert.True(exitCode == 0, $"exit code {exitCode}: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            ["Hello Shoal", "Hello stream #1", "Hello stream #2", "Hello stream #3", "Hello Ann, Bob, Cy", "Hello Dee", "Hello Eve"],
            lines);
    }

    [Fact]
    public async Task GreeterClient_MalformedTarget_ExitsWithTheReason()
    {
        var (exitCode, _, stderr) = await SamplePrograms.RunAsync("Greeter.Client", TestHost.Timeout, "--target", "shoal://nowhere");

        Assert.Equal(1, exitCode);
        Assert.Contains("not host:port", stderr, StringComparison.Ordinal);
    }
}
