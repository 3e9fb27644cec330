using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Shoal.Client;
using Shoal.Server;
using SampleService.Contracts;
using SampleService.Server;
using GreeterContract = SampleService.Contracts.Greeter;

namespace SampleService.Tests;

/// <summary>Starts the server in-process on free loopback ports and calls it on each transport.</summary>
public sealed class GreeterTests : IAsyncLifetime
{
    private readonly WebApplication _app = ServiceHost.Build(["--tcp-port", "0", "--grpc-port", "0"]);

    public Task InitializeAsync() => _app.StartAsync();

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("native")]
    [InlineData("grpc")]
    public async Task SayHello_OnEachTransport_GreetsByName(string transport)
    {
        await using var channel = ShoalChannel.ForTarget(Target(transport));
        var client = new GreeterContract.GreeterClient(channel);

        var reply = await client.SayHelloAsync(new HelloRequest { Name = "Ann" }, deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal("Hello Ann", reply.Message);
    }

    [Theory]
    [InlineData("native")]
    [InlineData("grpc")]
    public async Task SayHello_WithoutName_FailsWithInvalidArgument(string transport)
    {
        await using var channel = ShoalChannel.ForTarget(Target(transport));
        var client = new GreeterContract.GreeterClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(
            async () => await client.SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(30)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    private string Target(string transport)
    {
        var addresses = _app.GetShoalAddresses();
        return (transport == "native" ? addresses.NativeTarget : addresses.GrpcTarget)
            ?? throw new InvalidOperationException($"the {transport} transport is not listening");
    }
}
