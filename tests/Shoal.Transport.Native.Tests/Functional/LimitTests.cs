using Grpc.Core;
using Hello;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

public sealed class LimitTests
{
    [Fact]
    public async Task RequestOverServerLimit_IsResourceExhausted_AndConnectionSurvives()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxReceiveMessageSize = 100 * 1024);
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = new string('a', 200 * 1024) }).ResponseAsync.Within());
        var reply = await client.SayHelloAsync(new HelloRequest { Name = "ok" }).ResponseAsync.Within();

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("Hello ok", reply.Message);
    }

    [Fact]
    public async Task HugeRequestOverServerLimit_IsSkippedWithoutBuffering()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxReceiveMessageSize = 64 * 1024);
        await using var connection = TestClient.Connect(server.Address, o => o.MaxSendMessageSize = 16 * 1024 * 1024);
        var client = connection.Greeter();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = new string('a', 5 * 1024 * 1024) }).ResponseAsync.Within());
        var reply = await client.SayHelloAsync(new HelloRequest { Name = "ok" }).ResponseAsync.Within();

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("Hello ok", reply.Message);
    }

    [Fact]
    public async Task LargeMessagesUnderTheLimit_TravelBothWays()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();

        var reply = await client.SayHelloAsync(new HelloRequest { Name = "big:" + (3 * 1024 * 1024) }).ResponseAsync.Within();
        var echo = await client.SayHelloAsync(new HelloRequest { Name = new string('b', 3 * 1024 * 1024) }).ResponseAsync.Within();

        Assert.Equal(3 * 1024 * 1024, reply.Message.Length);
        Assert.Equal(3 * 1024 * 1024 + 6, echo.Message.Length);
    }

    [Fact]
    public async Task RequestOverClientSendLimit_FailsWithoutSending()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address, o => o.MaxSendMessageSize = 1024);
        var client = connection.Greeter();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = new string('a', 2048) }).ResponseAsync.Within());
        var reply = await client.SayHelloAsync(new HelloRequest { Name = "ok" }).ResponseAsync.Within();

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("Hello ok", reply.Message);
    }

    [Fact]
    public async Task ResponseOverClientReceiveLimit_IsResourceExhausted()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address, o => o.MaxReceiveMessageSize = 1024);
        var client = connection.Greeter();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = "big:4096" }).ResponseAsync.Within());
        var huge = await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = "big:300000" }).ResponseAsync.Within());
        var reply = await client.SayHelloAsync(new HelloRequest { Name = "ok" }).ResponseAsync.Within();

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, huge.StatusCode);
        Assert.Equal("Hello ok", reply.Message);
    }

    [Fact]
    public async Task ResponseOverServerSendLimit_IsResourceExhausted()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxSendMessageSize = 1024);
        await using var connection = TestClient.Connect(server.Address);

        var error = await Assert.ThrowsAsync<RpcException>(() => connection.Greeter().SayHelloAsync(new HelloRequest { Name = "big:4096" }).ResponseAsync.Within());

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task CallsOverTheAdvertisedConcurrencyLimit_WaitInTheClient_AllSucceedAndTheServerNeverRunsMore()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxConcurrentCallsPerConnection = 2);
        await using var connection = TestClient.Connect(server.Address);
        await connection.ConnectAsync().AsTask().Within();
        var client = connection.Greeter();

        var calls = Enumerable.Range(0, 6).Select(i => client.SayHelloAsync(new HelloRequest { Name = "slow:300" }).ResponseAsync).ToArray();
        await Wait.UntilAsync(() => server.Greeter.Running == 2, "two handlers run");
        var replies = await Task.WhenAll(calls).Within();

        Assert.All(replies, r => Assert.Equal("slow", r.Message));
        Assert.Equal(2, server.Greeter.MaxRunning);
    }

    [Fact]
    public async Task CallsOverTheConcurrencyLimit_FromAPeerThatIgnoresTheSetting_AreRefused_ConnectionKeepsWorking()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxConcurrentCallsPerConnection = 2);
        using var peer = await AttackPeer.ConnectAsync(server.Port);
        peer.StartReading(TimeSpan.FromSeconds(30));
        var frames = new List<byte>(WireFrames.Preface());
        frames.AddRange(WireFrames.CallStart(1, WireFrames.SayHello, new HelloRequest { Name = "slow:1500" }));
        frames.AddRange(WireFrames.CallStart(3, WireFrames.SayHello, new HelloRequest { Name = "slow:1500" }));
        frames.AddRange(WireFrames.CallStart(5, WireFrames.SayHello, new HelloRequest { Name = "three" }));
        await peer.SendAsync(frames.ToArray());

        await Wait.UntilAsync(() => WireFrames.Statuses(peer.Frames()).Count == 3, "all three calls end");
        var statuses = WireFrames.Statuses(peer.Frames());
        Assert.Equal(StatusCode.ResourceExhausted, statuses[5]);
        Assert.Equal(StatusCode.OK, statuses[1]);
        Assert.Equal(StatusCode.OK, statuses[3]);
    }

    [Fact]
    public async Task LargeRequestsHeldByRunningHandlers_CountAgainstTheFrameBudget_UntilTheHandlersReturn()
    {
        await using var server = await TestServer.StartAsync(o => o.FrameAssemblyBudget = 1024 * 1024);
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();
        var padding = new string('p', 400 * 1024);

        var held = new[]
        {
            client.SayHelloAsync(new HelloRequest { Name = "hold:2000:" + padding }).ResponseAsync,
            client.SayHelloAsync(new HelloRequest { Name = "hold:2000:" + padding }).ResponseAsync,
        };
        await Wait.UntilAsync(() => server.Greeter.Running == 2, "both handlers hold their 400 KiB request");
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = "hold:0:" + padding }).ResponseAsync.Within());
        var small = await client.SayHelloAsync(new HelloRequest { Name = "small" }).ResponseAsync.Within();
        await Task.WhenAll(held).Within();
        var after = await client.SayHelloAsync(new HelloRequest { Name = "hold:0:" + padding }).ResponseAsync.Within();

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("Hello small", small.Message);
        Assert.Equal("held", after.Message);
    }
}
