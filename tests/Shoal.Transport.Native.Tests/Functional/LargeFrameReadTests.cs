using Grpc.Core;
using Hello;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>The server reads a large frame in chunks of up to 64 KiB; these pin what that must not change.</summary>
public sealed class LargeFrameReadTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task FourMebibyteRequest_ArrivesIntact_AndSoDoesItsEcho()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.MaxReceiveMessageSize = 8 * MiB;
            o.MaxSendMessageSize = 8 * MiB;
        });
        await using var connection = TestClient.Connect(server.Address, o =>
        {
            o.MaxReceiveMessageSize = 8 * MiB;
            o.MaxSendMessageSize = 8 * MiB;
        });
        // A period of 26 bytes: a chunk of 4 or 64 KiB lost, repeated or moved shows.
        var name = string.Create(4 * MiB, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i % 26));
            }
        });

        var first = await connection.Greeter().SayHelloAsync(new HelloRequest { Name = name }).ResponseAsync.Within();
        var second = await connection.Greeter().SayHelloAsync(new HelloRequest { Name = name }).ResponseAsync.Within();

        Assert.True(first.Message == "Hello " + name, "the first echo differs from its request");
        Assert.True(second.Message == "Hello " + name, "the second echo differs from its request");
    }

    /// <summary>
    /// A large request that trickles in at five times the minimum receive rate (2 KiB every 100 ms
    /// against 4 KiB/s measured over 1 s) is answered: a read that waits for 64 KiB of it (over 3 s
    /// of this peer's bytes) is cut short at each tick, so each period counts what arrived in it.
    /// </summary>
    [Fact]
    public async Task LargeRequestTricklingAboveTheMinimumRate_IsCountedAsItArrives_AndAnswered()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.MinReceiveDataRate = 4 * 1024;
            o.MinReceiveDataRateGracePeriod = TimeSpan.FromSeconds(1);
        });
        using var peer = await AttackPeer.ConnectAsync(server.Port);
        peer.StartReading(TimeSpan.FromSeconds(60));
        var frame = WireFrames.CallStart(1, WireFrames.SayHello, new HelloRequest { Name = new string('t', 80 * 1024) });

        Assert.True(await peer.SendAsync(WireFrames.Preface()));
        for (var offset = 0; offset < frame.Length; offset += 2048)
        {
            Assert.True(await peer.SendAsync(frame.AsMemory(offset, Math.Min(2048, frame.Length - offset))), $"the server closed the connection after {offset} bytes");
            await Task.Delay(100);
        }
        await Wait.UntilAsync(() => WireFrames.Statuses(peer.Frames()).ContainsKey(1) || WireFrames.GoAway(peer.Frames()) is not null, "the call ends");

        Assert.Null(WireFrames.GoAway(peer.Frames()));
        Assert.Equal(StatusCode.OK, WireFrames.Statuses(peer.Frames())[1]);
    }
}
