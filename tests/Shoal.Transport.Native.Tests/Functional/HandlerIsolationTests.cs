using Grpc.Core;
using Hello;
using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>Handlers run inline on the read loop, but one that blocks or outlives its call cannot hold the connection hostage.</summary>
public sealed class HandlerIsolationTests
{
    [Fact]
    public async Task BlockingHandler_DoesNotStallASecondCallOnTheSameConnection()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();
        await client.SayHelloAsync(new HelloRequest { Name = "warm-up" }).ResponseAsync.Within();

        var blocked = client.SayHelloAsync(new HelloRequest { Name = "block:5000" }).ResponseAsync;
        await Wait.UntilAsync(() => server.Greeter.Running == 1, "the blocking handler started");
        var second = await client.SayHelloAsync(new HelloRequest { Name = "second" }).ResponseAsync.Within();
        var blockedWasRunning = !blocked.IsCompleted;
        var first = await blocked.Within();

        Assert.Equal("Hello second", second.Message);
        Assert.True(blockedWasRunning, "the second call was only answered after the blocking handler returned");
        Assert.Equal("blocked", first.Message);
    }

    [Fact]
    public async Task BlockingHandler_InlineSocketScheduling_DoesNotStallAnotherConnection()
    {
        // Kestrel runs the read loop on the thread its socket receive completed on (ShoalServerOptions.InlineSocketScheduling):
        // a handler that blocks holds its own connection's receive, not the others'.
        await using var server = await TestServer.StartAsync(inlineScheduling: true);
        await using var connection = TestClient.Connect(server.Address);
        await using var other = TestClient.Connect(server.Address);
        await connection.Greeter().SayHelloAsync(new HelloRequest { Name = "warm-up" }).ResponseAsync.Within();
        await other.Greeter().SayHelloAsync(new HelloRequest { Name = "warm-up" }).ResponseAsync.Within();

        var blocked = connection.Greeter().SayHelloAsync(new HelloRequest { Name = "block:5000" }).ResponseAsync;
        await Wait.UntilAsync(() => server.Greeter.Running == 1, "the blocking handler started");
        var answers = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add((await other.Greeter().SayHelloAsync(new HelloRequest { Name = "other" + i }).ResponseAsync.Within()).Message);
        }
        var blockedWasRunning = !blocked.IsCompleted;
        var first = await blocked.Within();

        Assert.Equal(Enumerable.Range(0, 20).Select(i => "Hello other" + i), answers);
        Assert.True(blockedWasRunning, "the other connection was only answered after the blocking handler returned");
        Assert.Equal("blocked", first.Message);
    }

    [Fact]
    public async Task BlockedHandlers_HoldTheirCallSlots_TheNextCallWaitsInTheClientUntilOneReturns()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxConcurrentCallsPerConnection = 2);
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();
        await client.SayHelloAsync(new HelloRequest { Name = "warm-up" }).ResponseAsync.Within();

        var blocked = new[]
        {
            client.SayHelloAsync(new HelloRequest { Name = "block:3000" }).ResponseAsync,
            client.SayHelloAsync(new HelloRequest { Name = "block:3000" }).ResponseAsync,
        };
        await Wait.UntilAsync(() => server.Greeter.Running == 2, "both blocking handlers started");
        var third = client.SayHelloAsync(new HelloRequest { Name = "third" }).ResponseAsync;
        var reply = await third.Within();
        await Task.WhenAll(blocked).Within();

        Assert.Equal("Hello third", reply.Message);
        Assert.Equal(2, server.Greeter.MaxRunning);
    }

    /// <summary>
    /// Rapid reset: 20 calls started and cancelled at once, whose handlers ignore cancellation. Each
    /// cancelled call keeps its slot until its handler returns, so only 5 handlers ever run (the
    /// limit) and the rest are refused; once they return, calls are taken again.
    /// </summary>
    [Fact]
    public async Task CancelledCalls_CountAgainstTheLimitUntilTheirHandlersReturn()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.MaxConcurrentCallsPerConnection = 5;
            o.MaxCallResetsPerSecond = 0;
        });
        var peer = await AttackPeer.ConnectAsync(server.Port);
        using var disposePeer = peer;
        peer.StartReading(TimeSpan.FromSeconds(30));
        var attack = new List<byte>(WireFrames.Preface((SettingId.InitialConnectionWindow, 1 << 20)));
        for (uint id = 1; id <= 20; id++)
        {
            attack.AddRange(WireFrames.CallStart(id, WireFrames.SayHello, new HelloRequest { Name = "slow:1500" }));
            attack.AddRange(WireFrames.Cancel(id));
        }

        await peer.SendAsync(attack.ToArray());
        await Wait.UntilAsync(() => WireFrames.Statuses(peer.Frames()).Count == 15, "15 calls were refused");
        var refusedWhileRunning = WireFrames.Statuses(peer.Frames());
        await Wait.UntilAsync(() => server.Greeter.Running == 0, "the cancelled handlers returned");
        await peer.SendAsync(WireFrames.CallStart(41, WireFrames.SayHello, new HelloRequest { Name = "after" }));
        await Wait.UntilAsync(() => WireFrames.Statuses(peer.Frames()).ContainsKey(41), "the later call was answered");

        Assert.Equal(5, server.Greeter.MaxRunning);
        Assert.All(refusedWhileRunning.Values, s => Assert.Equal(StatusCode.ResourceExhausted, s));
        Assert.Equal(StatusCode.OK, WireFrames.Statuses(peer.Frames())[41]);
        Assert.Null(WireFrames.GoAway(peer.Frames()));
    }
}
