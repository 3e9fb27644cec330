using Grpc.Core;
using Hello;
using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>
/// <c>StreamWindowSize</c> is the per-call receive window each side grants (setting 3): how many bytes
/// of one stream the peer may send ahead of the reader, and no more.
/// </summary>
public sealed class StreamWindowTests
{
    private static readonly Metadata Hold = new() { { "x-hold", "1" } };

    /// <summary>A server-stream message of <c>SayHelloMany</c> with a "big" name, encoded: "i:" and 8 KiB.</summary>
    private const int BigReply = (8 * 1024) + 8;

    [Theory]
    [InlineData(128 * 1024)]
    [InlineData(512 * 1024)]
    public async Task ClientStreamWindow_IsHowFarTheServerWritesAheadOfAReaderThatStopped(int window)
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address, o =>
        {
            o.StreamWindowSize = window;
            o.ConnectionWindowSize = 4 * 1024 * 1024;
        });
        using var call = connection.Streams().SayHelloMany(new ManyHellosRequest { Name = "big", Count = 10_000 });

        Assert.True(await call.ResponseStream.MoveNext().Within());
        // The first message read is less than half the window: no credit comes back for it.
        var expected = (window + BigReply - 1) / BigReply;
        await Wait.UntilAsync(() => server.Streams.Written >= expected - 1, $"the server wrote {expected - 1} messages");
        await Task.Delay(500);

        Assert.InRange(server.Streams.Written, expected - 1, expected + 1);
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    public async Task ServerStreamWindow_BoundsWhatAClientSendsAheadOfTheHandler(int messages, bool overruns)
    {
        // Window 128 KiB plus one message of at most 16 KiB: nine 15 KiB messages fit, ten do not.
        await using var server = await TestServer.StartAsync(o =>
        {
            o.StreamWindowSize = 128 * 1024;
            o.ConnectionWindowSize = 4 * 1024 * 1024;
            o.MaxReceiveMessageSize = 16 * 1024;
        });
        var peer = await AttackPeer.ConnectAsync(server.Port);
        using var disposePeer = peer;
        peer.StartReading(TimeSpan.FromSeconds(30));
        var frames = new List<byte>(WireFrames.Preface((SettingId.InitialConnectionWindow, 4 << 20)));
        frames.AddRange(WireFrames.CallStart(1, WireFrames.SayHelloToAll, null, headers: Hold));
        for (var i = 0; i < messages; i++)
        {
            frames.AddRange(WireFrames.Message(1, new HelloRequest { Name = new string('o', 15 * 1024) }));
        }

        await peer.SendAsync(frames.ToArray());
        if (overruns)
        {
            Assert.True(await peer.ClosedAsync(TimeSpan.FromSeconds(15)));
            Assert.Equal(GoAwayCode.ProtocolError, WireFrames.GoAway(peer.Frames()));
            return;
        }
        await peer.SendAsync(WireFrames.CallStart(3, WireFrames.SayHello, new HelloRequest { Name = "after" }));
        await Wait.UntilAsync(() => WireFrames.Statuses(peer.Frames()).ContainsKey(3), "a later call on the same connection was answered");

        Assert.Equal(StatusCode.OK, WireFrames.Statuses(peer.Frames())[3]);
        Assert.Null(WireFrames.GoAway(peer.Frames()));
    }
}
