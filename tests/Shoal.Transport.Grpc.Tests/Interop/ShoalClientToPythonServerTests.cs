using Grpc.Core;
using Hello;
using Shoal.Client;
using Shoal.Transport.Grpc.Tests.Infrastructure;

namespace Shoal.Transport.Grpc.Tests.Interop;

/// <summary>The Shoal client (ShoalChannel, http://) calls a gRPC server no one here wrote (python3-grpcio).</summary>
public sealed class ShoalClientToPythonServerTests : IAsyncLifetime
{
    private PythonGrpcServer? _server;
    private ShoalChannel? _channel;

    private ShoalChannel Channel => _channel!;

    public async Task InitializeAsync()
    {
        _server = await PythonGrpcServer.StartAsync();
        _channel = ShoalChannel.ForTarget(_server.Target);
    }

    public async Task DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ShoalClient_UnaryToPython_GetsTheGreeting()
    {
        var reply = await new Greeter.GreeterClient(Channel).SayHelloAsync(new HelloRequest { Name = "shoal" }, deadline: Deadline());

        Assert.Equal("Hello shoal from python", reply.Message);
    }

    [Fact]
    public async Task ShoalClient_EachStreamingKindToPython_Answers()
    {
        var streams = new GreeterStreams.GreeterStreamsClient(Channel);

        using var many = streams.SayHelloMany(new ManyHellosRequest { Name = "s", Count = 2 }, deadline: Deadline());
        var replies = new List<string>();
        await foreach (var reply in many.ResponseStream.ReadAllAsync())
        {
            replies.Add(reply.Message);
        }
        Assert.Equal(["Hello s #1 from python", "Hello s #2 from python"], replies);

        using var toAll = streams.SayHelloToAll(deadline: Deadline());
        await toAll.RequestStream.WriteAsync(new HelloRequest { Name = "a" });
        await toAll.RequestStream.WriteAsync(new HelloRequest { Name = "b" });
        await toAll.RequestStream.CompleteAsync();
        Assert.Equal("Hello a, b from python", (await toAll).Message);

        using var chat = streams.Chat(deadline: Deadline());
        await chat.RequestStream.WriteAsync(new HelloRequest { Name = "c" });
        Assert.True(await chat.ResponseStream.MoveNext());
        Assert.Equal("Hello c from python", chat.ResponseStream.Current.Message);
        await chat.RequestStream.CompleteAsync();
        Assert.False(await chat.ResponseStream.MoveNext());
    }

    [Fact]
    public async Task ShoalClient_PythonFailsTheCall_GetsTheStatusAndDetail()
    {
        var headers = new Metadata { { "x-fail-code", "7" } };

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Greeter.GreeterClient(Channel).SayHelloAsync(new HelloRequest { Name = "x" }, headers, Deadline()));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("python failed the call with PERMISSION_DENIED", error.Status.Detail);
    }

    [Fact]
    public async Task ShoalClient_DeadlineShorterThanPython_GetsDeadlineExceeded()
    {
        var headers = new Metadata { { "x-delay-ms", "3000" } };

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Greeter.GreeterClient(Channel).SayHelloAsync(new HelloRequest { Name = "x" }, headers, DateTime.UtcNow.AddMilliseconds(300)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    private static DateTime Deadline() => DateTime.UtcNow.Add(GreeterGrpcHost.Timeout);
}
