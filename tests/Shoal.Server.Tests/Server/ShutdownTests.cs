using Grpc.Core;
using Hello;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Server;

public sealed class ShutdownTests
{
    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task GracefulStop_CallInFlight_CompletesAndHostStops(TestTransport transport)
    {
        var gate = new GatedGreeter();
        await using var host = await TestHost.StartAsync(
            only: transport,
            services: s => s.AddService<GatedGreeter>(),
            builder: b => b.Services.AddSingleton(gate));
        await using var channel = host.Channel(transport);
        var client = new Greeter.GreeterClient(channel);

        using var inFlight = client.SayHelloAsync(new HelloRequest { Name = "late" }, deadline: TestHost.Deadline());
        await gate.Started.WaitAsync(TestHost.Timeout);

        var stopping = host.App.StopAsync();
        // Give the host a moment to begin stopping before the handler finishes.
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted);
        gate.Release();

        Assert.Equal("Hello late", (await inFlight.ResponseAsync.WaitAsync(TestHost.Timeout)).Message);
        await stopping.WaitAsync(TestHost.Timeout);

        var after = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.SayHelloAsync(new HelloRequest { Name = "after" }, deadline: DateTime.UtcNow.AddSeconds(5)));
        Assert.Contains(after.StatusCode, new[] { StatusCode.Unavailable, StatusCode.DeadlineExceeded });
    }
}
