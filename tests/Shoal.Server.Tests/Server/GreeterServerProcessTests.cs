using Grpc.Core;
using Hello;
using Shoal.Client;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Server;

public sealed class GreeterServerProcessTests
{
    [Fact]
    public async Task GreeterServer_PortsZeroThenSigterm_ServesBothTransportsAndExitsCleanly()
    {
        await using var server = GreeterServerProcess.Start("--tcp-port", "0", "--grpc-port", "0");
        var (native, grpc) = await server.WaitForAddressesAsync(TestHost.Timeout);
        Assert.StartsWith("shoal://127.0.0.1:", native, StringComparison.Ordinal);
        Assert.StartsWith("http://127.0.0.1:", grpc, StringComparison.Ordinal);

        foreach (var target in new[] { native, grpc })
        {
            await using var channel = ShoalChannel.ForTarget(target);
            var reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = target }, deadline: TestHost.Deadline());
            Assert.Equal("Hello " + target, reply.Message);
        }

        await server.TerminateAsync();
        var exitCode = await server.WaitForExitAsync(TestHost.Timeout);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{server.Output}");
        Assert.Contains("Application is shutting down", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GreeterServer_GrpcOnlyWithDelay_AnswersSlowlyAndStopsOnSigterm()
    {
        await using var server = GreeterServerProcess.Start("--tcp-port", "-1", "--grpc-port", "0", "--delay-ms", "300");
        var (native, grpc) = await server.WaitForAddressesAsync(TestHost.Timeout);
        Assert.Equal("(disabled)", native);

        await using var channel = ShoalChannel.ForTarget(grpc);
        var client = new Greeter.GreeterClient(channel);
        var tooShort = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.SayHelloAsync(new HelloRequest { Name = "x" }, deadline: DateTime.UtcNow.AddMilliseconds(50)));
        Assert.Equal(StatusCode.DeadlineExceeded, tooShort.StatusCode);
        Assert.Equal("Hello y", (await client.SayHelloAsync(new HelloRequest { Name = "y" }, deadline: TestHost.Deadline())).Message);

        await server.TerminateAsync();
        Assert.Equal(0, await server.WaitForExitAsync(TestHost.Timeout));
    }

    [Fact]
    public async Task GreeterServer_BadPort_ExitsWithErrorLine()
    {
        await using var server = GreeterServerProcess.Start("--tcp-port", "-1", "--grpc-port", "not-a-port");

        var exitCode = await server.WaitForExitAsync(TestHost.Timeout);

        Assert.Equal(2, exitCode);
        Assert.Contains("greeter-server: cannot run", server.Output, StringComparison.Ordinal);
    }
}
