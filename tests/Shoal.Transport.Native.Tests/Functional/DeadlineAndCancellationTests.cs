using Grpc.Core;
using Hello;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

public sealed class DeadlineAndCancellationTests
{
    [Fact]
    public async Task Deadline_ServerSeesItAndItsTokenCancels_ClientGetsDeadlineExceeded()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        // Connected first: on a busy machine dialing alone can take longer than the deadline, and the
        // call would then fail on the client without ever reaching the handler.
        await connection.Greeter().SayHelloAsync(new HelloRequest { Name = "warm-up" }).ResponseAsync.Within();
        var deadline = DateTime.UtcNow.AddMilliseconds(500);

        var error = await Assert.ThrowsAsync<RpcException>(() => connection.Greeter().SayHelloAsync(new HelloRequest { Name = "wait" }, deadline: deadline).ResponseAsync.Within());
        await server.Greeter.HandlerCancelled.Task.Within();

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.NotNull(server.Greeter.LastDeadline);
        Assert.InRange(server.Greeter.LastDeadline!.Value, deadline.AddSeconds(-2), deadline.AddSeconds(1));
    }

    [Fact]
    public async Task Deadline_HandlerFailsWithItsDownstreamCallsCancelled_StatusIsStillDeadlineExceeded()
    {
        // A raw peer, which has no deadline timer of its own: the status is the server's.
        await using var server = await TestServer.StartAsync();
        var peer = await AttackPeer.ConnectAsync(server.Port);
        using var disposePeer = peer;
        peer.StartReading(TimeSpan.FromSeconds(30));

        byte[] call = [.. WireFrames.Preface(), .. WireFrames.CallStart(1, WireFrames.SayHello, new HelloRequest { Name = "downstream" }, timeoutMicros: 200_000)];
        await peer.SendAsync(call);
        await Wait.UntilAsync(() => WireFrames.Statuses(peer.Frames()).ContainsKey(1), "the call ended");

        Assert.Equal(StatusCode.DeadlineExceeded, WireFrames.Statuses(peer.Frames())[1]);
    }

    [Fact]
    public async Task DeadlineAlreadyPassed_FailsWithoutSending()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);

        var error = await Assert.ThrowsAsync<RpcException>(() => connection.Greeter().SayHelloAsync(new HelloRequest { Name = "x" }, deadline: DateTime.UtcNow.AddSeconds(-1)).ResponseAsync.Within());

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task ClientCancels_HandlerTokenCancels_ClientGetsCancelled()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        using var cts = new CancellationTokenSource();

        var call = connection.Greeter().SayHelloAsync(new HelloRequest { Name = "wait" }, cancellationToken: cts.Token);
        await server.Greeter.HandlerStarted.Task.Within();
        await cts.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within());
        await server.Greeter.HandlerCancelled.Task.Within();

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task ClientDisposesStreamingCall_ServerHandlerIsCancelled()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);

        var call = connection.Streams().Chat();
        await call.RequestStream.WriteAsync(new HelloRequest { Name = "a" });
        Assert.True(await call.ResponseStream.MoveNext().Within());
        call.Dispose();
        await server.Streams.HandlerCancelled.Task.Within();

        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreamingDeadline_ReaderGetsDeadlineExceeded()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);

        await connection.Greeter().SayHelloAsync(new HelloRequest { Name = "warm-up" }).ResponseAsync.Within();

        using var call = connection.Streams().SayHelloMany(new ManyHellosRequest { Name = "big", Count = 1000 }, deadline: DateTime.UtcNow.AddMilliseconds(1500));
        Assert.True(await call.ResponseStream.MoveNext().Within());
        await server.Streams.HandlerCancelled.Task.Within();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext().Within())
            {
            }
        });

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }
}
