using Grpc.Core;
using Hello;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>Metadata over the protocol's limits fails the call it belongs to, never the shared connection.</summary>
public sealed class OneBadCallTests
{
    [Theory]
    [InlineData("big-trailers", StatusCode.ResourceExhausted)]
    [InlineData("big-detail", StatusCode.Internal)]
    [InlineData("big-headers", StatusCode.ResourceExhausted)]
    public async Task HandlerWithOversizedResponseMetadata_FailsThatCall_ConnectionLivesOn(string name, StatusCode expected)
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();
        var slow = client.SayHelloAsync(new HelloRequest { Name = "slow:500" }).ResponseAsync;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = name }).ResponseAsync.Within());
        var after = await client.SayHelloAsync(new HelloRequest { Name = "after" }).ResponseAsync.Within();

        Assert.Equal(expected, error.StatusCode);
        Assert.Equal("Hello after", after.Message);
        Assert.Equal("slow", (await slow.Within()).Message);
        Assert.Equal(0, server.Log.Count("broke the protocol"));
    }

    [Fact]
    public async Task ClientWithOversizedRequestMetadata_FailsLocally_NothingReachesTheServer()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();
        var tooMany = new Metadata();
        for (var i = 0; i < 40; i++)
        {
            tooMany.Add($"x-h{i}", new string('v', 1024));
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = "echo-headers" }, headers: tooMany).ResponseAsync.Within());
        var handlerRan = server.Greeter.LastPeer is not null;
        var after = await client.SayHelloAsync(new HelloRequest { Name = "after" }).ResponseAsync.Within();

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.False(handlerRan, "the refused call reached the handler");
        Assert.Equal("Hello after", after.Message);
    }
}
