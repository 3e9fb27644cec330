using Grpc.Core;
using Hello;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Server;

public sealed class BothTransportsTests
{
    [Fact]
    public async Task OneHost_CountingService_SameInstanceAnswersOnBothTransports()
    {
        await using var host = await TestHost.StartAsync(services: s => s.AddService<CountingGreeter>());
        await using var native = host.Channel(TestTransport.Native);
        await using var grpc = host.Channel(TestTransport.Grpc);

        var fromNative = await new Greeter.GreeterClient(native).SayHelloAsync(new HelloRequest { Name = "a" }, deadline: TestHost.Deadline());
        var fromGrpc = await new Greeter.GreeterClient(grpc).SayHelloAsync(new HelloRequest { Name = "b" }, deadline: TestHost.Deadline());

        var service = host.App.Services.GetRequiredService<CountingGreeter>();
        Assert.Equal($"{service.InstanceId} 1", fromNative.Message);
        Assert.Equal($"{service.InstanceId} 2", fromGrpc.Message);
        Assert.Equal(2, service.Calls);
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task GeneratedClients_UnaryAndEachStreamingKind_Answer(TestTransport transport)
    {
        await using var host = await TestHost.StartAsync(only: transport);
        await using var channel = host.Channel(transport);
        var greeter = new Greeter.GreeterClient(channel);
        var streams = new GreeterStreams.GreeterStreamsClient(channel);

        var unary = await greeter.SayHelloAsync(new HelloRequest { Name = "unary" }, deadline: TestHost.Deadline());
        Assert.Equal("Hello unary", unary.Message);

        using var many = streams.SayHelloMany(new ManyHellosRequest { Name = "many", Count = 3 }, deadline: TestHost.Deadline());
        var replies = new List<string>();
        await foreach (var reply in many.ResponseStream.ReadAllAsync())
        {
            replies.Add(reply.Message);
        }
        Assert.Equal(["Hello many #1", "Hello many #2", "Hello many #3"], replies);

        using var toAll = streams.SayHelloToAll(deadline: TestHost.Deadline());
        await toAll.RequestStream.WriteAsync(new HelloRequest { Name = "a" });
        await toAll.RequestStream.WriteAsync(new HelloRequest { Name = "b" });
        await toAll.RequestStream.CompleteAsync();
        Assert.Equal("Hello a, b", (await toAll).Message);

        using var chat = streams.Chat(deadline: TestHost.Deadline());
        await chat.RequestStream.WriteAsync(new HelloRequest { Name = "c" });
        Assert.True(await chat.ResponseStream.MoveNext());
        Assert.Equal("Hello c", chat.ResponseStream.Current.Message);
        await chat.RequestStream.CompleteAsync();
        Assert.False(await chat.ResponseStream.MoveNext());
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task Addresses_PortsZero_AreTheRealBoundPorts(TestTransport transport)
    {
        await using var host = await TestHost.StartAsync(only: transport);

        var address = transport == TestTransport.Native ? host.Addresses.Native : host.Addresses.Grpc;
        var other = transport == TestTransport.Native ? host.Addresses.Grpc : host.Addresses.Native;
        Assert.NotNull(address);
        Assert.Null(other);
        Assert.Equal(transport == TestTransport.Native ? "shoal" : "http", address.Scheme);
        Assert.Equal("127.0.0.1", address.Host);
        Assert.InRange(address.Port, 1, 65535);
        Assert.Equal($"{address.Scheme}://127.0.0.1:{address.Port}", host.Target(transport));
    }

    [Fact]
    public async Task Addresses_BothTransportsOnPortZero_AreDistinctBoundPorts()
    {
        await using var host = await TestHost.StartAsync();

        Assert.Equal("shoal", host.Addresses.Native!.Scheme);
        Assert.Equal("http", host.Addresses.Grpc!.Scheme);
        Assert.NotEqual(host.Addresses.Native.Port, host.Addresses.Grpc.Port);
        Assert.NotEqual(0, host.Addresses.Native.Port);
        Assert.NotEqual(0, host.Addresses.Grpc.Port);
    }

    [Theory]
    [InlineData(TestTransport.Native, true)]
    [InlineData(TestTransport.Native, false)]
    [InlineData(TestTransport.Grpc, true)]
    [InlineData(TestTransport.Grpc, false)]
    public async Task HandlerThrows_DetailedErrorsSetting_DecidesTheUnknownDetail(TestTransport transport, bool detailed)
    {
        await using var host = await TestHost.StartAsync(only: transport, configure: o => o.EnableDetailedErrors = detailed, services: s => s.AddService<ThrowingGreeter>());
        await using var channel = host.Channel(transport);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "x" }, deadline: TestHost.Deadline()));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.StartsWith("Exception was thrown by handler.", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(detailed, error.Status.Detail.Contains("greeter exploded", StringComparison.Ordinal));
    }
}
