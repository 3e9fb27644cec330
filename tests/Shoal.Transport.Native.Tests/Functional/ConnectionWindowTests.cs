using Grpc.Core;
using Hello;
using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>The connection-level receive window bounds request-stream messages held for handlers across all calls of a connection.</summary>
public sealed class ConnectionWindowTests
{
    private static readonly Metadata Hold = new() { { "x-hold", "1" } };

    [Fact]
    public async Task HandlersThatDoNotRead_ClientWritesOnEveryCallWait_UntilTheyRead()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.ConnectionWindowSize = 64 * 1024;
            o.MaxReceiveMessageSize = 16 * 1024;
        });
        await using var connection = TestClient.Connect(server.Address);
        var streams = connection.Streams();
        var written = 0;
        var calls = Enumerable.Range(0, 4).Select(_ => streams.SayHelloToAll(headers: Hold)).ToList();
        var writers = calls.Select(call => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await call.RequestStream.WriteAsync(new HelloRequest { Name = new string('w', 8 * 1024) });
                Interlocked.Increment(ref written);
            }
            await call.RequestStream.CompleteAsync();
        })).ToList();

        // 80 messages of 8 KiB: the server grants 64 KiB for the connection, plus one message of overshoot.
        await Wait.UntilAsync(() => Volatile.Read(ref written) >= 8, "the first messages went out");
        await Task.Delay(500);
        var beforeRelease = Volatile.Read(ref written);
        server.Streams.ReleaseReads.TrySetResult();
        await Task.WhenAll(writers).Within();
        var replies = await Task.WhenAll(calls.Select(c => c.ResponseAsync)).Within();

        Assert.InRange(beforeRelease, 8, 10);
        Assert.All(replies, r => Assert.StartsWith("Hello w", r.Message, StringComparison.Ordinal));
        foreach (var call in calls)
        {
            call.Dispose();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PeerOverrunningTheConnectionWindow_ModernIsAProtocolError_OlderOnlyLosesItsCalls(bool speaksConnectionWindow)
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.ConnectionWindowSize = 64 * 1024;
            o.MaxReceiveMessageSize = 16 * 1024;
        });
        var peer = await AttackPeer.ConnectAsync(server.Port);
        using var disposePeer = peer;
        peer.StartReading(TimeSpan.FromSeconds(30));
        var attack = new List<byte>(speaksConnectionWindow ? WireFrames.Preface((SettingId.InitialConnectionWindow, 1 << 20)) : WireFrames.Preface());
        // 8 calls × 2 messages of 15 KiB: within each call's 64 KiB window, 240 KiB for the connection.
        for (uint id = 1; id <= 8; id++)
        {
            attack.AddRange(WireFrames.CallStart(id, WireFrames.SayHelloToAll, null, headers: Hold));
        }
        for (uint id = 1; id <= 8; id++)
        {
            attack.AddRange(WireFrames.Message(id, new HelloRequest { Name = new string('o', 15 * 1024) }));
            attack.AddRange(WireFrames.Message(id, new HelloRequest { Name = new string('o', 15 * 1024) }));
        }

        await peer.SendAsync(attack.ToArray());
        if (speaksConnectionWindow)
        {
            Assert.True(await peer.ClosedAsync(TimeSpan.FromSeconds(15)));
            Assert.Equal(GoAwayCode.ProtocolError, WireFrames.GoAway(peer.Frames()));
            return;
        }
        await Wait.UntilAsync(() => WireFrames.Statuses(peer.Frames()).Values.Any(s => s == StatusCode.ResourceExhausted), "a call over the window failed");
        await peer.SendAsync(WireFrames.CallStart(21, WireFrames.SayHello, new HelloRequest { Name = "after" }));
        await Wait.UntilAsync(() => WireFrames.Statuses(peer.Frames()).ContainsKey(21), "a later call on the same connection was answered");

        Assert.Equal(StatusCode.OK, WireFrames.Statuses(peer.Frames())[21]);
        Assert.Null(WireFrames.GoAway(peer.Frames()));
    }
}
