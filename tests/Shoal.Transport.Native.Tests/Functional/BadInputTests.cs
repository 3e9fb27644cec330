using Hello;
using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

public sealed class BadInputTests
{
    public static TheoryData<string> Cases() => new(BadPeers.Keys);

    private static readonly Dictionary<string, Func<byte[]>> BadPeers = new()
    {
        ["random bytes"] = () =>
        {
            var bytes = new byte[4096];
            new Random(42).NextBytes(bytes);
            return bytes;
        },
        ["wrong protocol version"] = () => RawPeer.Preface(version: 99),
        ["wrong magic"] = () => RawPeer.Frame(FrameType.Preface, FrameFlags.None, 0, "NOPE\u0001"u8),
        ["length far over the limit"] = () => [.. RawPeer.Preface(), .. RawPeer.Header(0xFFFFFFF0, (byte)FrameType.Message, 1)],
        ["oversized frame of a connection type"] = () => [.. RawPeer.Preface(), .. RawPeer.Header(64 * 1024 * 1024, (byte)FrameType.Ping, 0)],
        ["unknown frame type"] = () => [.. RawPeer.Preface(), .. RawPeer.Frame((FrameType)0x7E, FrameFlags.None, 0, [1, 2, 3])],
        ["message for a call never started"] = () => [.. RawPeer.Preface(), .. RawPeer.Frame(FrameType.Message, FrameFlags.None, 12345, [1, 2, 3])],
        ["cancel for a call never started"] = () => [.. RawPeer.Preface(), .. RawPeer.Frame(FrameType.Cancel, FrameFlags.None, 7, [1, 0])],
        ["garbage call start"] = () => [.. RawPeer.Preface(), .. RawPeer.Frame(FrameType.CallStart, FrameFlags.None, 1, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])],
        ["server-only frame"] = () => [.. RawPeer.Preface(), .. RawPeer.Frame(FrameType.Trailers, FrameFlags.None, 1, [0, 0, 0, 0])],
        ["truncated frame then close"] = () => [.. RawPeer.Preface(), .. RawPeer.Header(100, (byte)FrameType.CallStart, 1), 1, 2, 3],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadPeer_ConnectionEndsWithProtocolError_WellBehavedClientKeepsWorking(string name)
    {
        await using var server = await TestServer.StartAsync(o => o.HandshakeTimeout = TimeSpan.FromSeconds(2));
        await using var good = TestClient.Connect(server.Address);
        var client = good.Greeter();
        await client.SayHelloAsync(new HelloRequest { Name = "before" }).ResponseAsync.Within();
        using var stop = new CancellationTokenSource();
        var answered = 0;
        var goodLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await client.SayHelloAsync(new HelloRequest { Name = "g" }).ResponseAsync;
                answered++;
                await Task.Delay(5);
            }
        });

        using var bad = await RawPeer.ConnectAsync(server.Port);
        await bad.SendAsync(BadPeers[name]());
        if (name.StartsWith("truncated", StringComparison.Ordinal))
        {
            bad.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        }
        var received = await bad.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
        var before = answered;
        await Wait.UntilAsync(() => answered > before + 3, "the good client got more answers");
        await stop.CancelAsync();
        await goodLoop.Within();

        Assert.True(server.Log.Count("broke the protocol") >= 1, name + ": no protocol error was logged");
        if (!name.StartsWith("truncated", StringComparison.Ordinal))
        {
            Assert.NotEqual(GoAwayCode.NoError, RawPeer.FindGoAway(received) ?? GoAwayCode.NoError);
        }
    }

    [Fact]
    public async Task PeerThatNeverSends_IsClosedAfterTheHandshakeTimeout()
    {
        await using var server = await TestServer.StartAsync(o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(500));
        using var silent = await RawPeer.ConnectAsync(server.Port);

        var received = await silent.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(GoAwayCode.Timeout, RawPeer.FindGoAway(received));
        await Wait.UntilAsync(() => server.Log.Count("No preface") >= 1, "the timeout was logged");
    }

    [Fact]
    public async Task ManyBadPeers_MemoryStaysBounded()
    {
        await using var server = await TestServer.StartAsync();
        await using var good = TestClient.Connect(server.Address);
        await good.Greeter().SayHelloAsync(new HelloRequest { Name = "warm" }).ResponseAsync.Within();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < 50; i++)
        {
            using var bad = await RawPeer.ConnectAsync(server.Port);
            // Declares a 3 MiB call (under the 4 MiB limit) and sends only part of it: the server may
            // assemble at most one frame's worth per connection, and frees it when the peer leaves.
            await bad.SendAsync([.. RawPeer.Preface(), .. RawPeer.Header(3 * 1024 * 1024, (byte)FrameType.CallStart, 1), .. new byte[100_000]]);
            bad.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            await bad.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
        }
        var reply = await good.Greeter().SayHelloAsync(new HelloRequest { Name = "after" }).ResponseAsync.Within();
        GC.Collect();
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.Equal("Hello after", reply.Message);
        Assert.True(after - before < 32 * 1024 * 1024, $"memory grew by {(after - before) / 1024} KiB");
    }
}
