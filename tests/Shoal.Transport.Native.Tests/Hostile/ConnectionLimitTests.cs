using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;
using Xunit.Abstractions;
using static Shoal.Transport.Native.Tests.Hostile.HostileCollection;

namespace Shoal.Transport.Native.Tests.Hostile;

[Collection(HostileCollection.Name)]
public sealed class ConnectionLimitTests(ITestOutputHelper output)
{
    /// <summary>
    /// 200 connections that say hello and then only ping (pings do not count as activity) are closed
    /// with GoAway NoError once idle for the idle timeout (1 s here, 130 s by default).
    /// </summary>
    [Fact]
    public async Task IdlePeers_ThatOnlyPing_AreClosedWithNoErrorAfterTheIdleTimeout()
    {
        const int Peers = 200;
        await using var server = await GreeterProcess.StartAsync("--Shoal:Server:Native:IdleTimeout=00:00:01");
        await using var good = await WellBehavedClient.StartAsync(server.Address);
        var baseline = server.ResidentBytes();
        await using var rss = server.SampleRss(bound: baseline + (64 * MiB));
        var ping = RawPeer.Frame(FrameType.Ping, FrameFlags.None, 0, new byte[8]);

        var peers = await Task.WhenAll(Enumerable.Range(0, Peers).Select(async _ =>
        {
            var peer = await AttackPeer.ConnectAsync(server.Port);
            peer.StartReading(TimeSpan.FromSeconds(30));
            await peer.SendAsync(WireFrames.Preface());
            return peer;
        }));
        var started = DateTime.UtcNow;
        using var stop = new CancellationTokenSource();
        var pinging = Task.Run(async () =>
        {
            for (var i = 0; i < 150 && !stop.IsCancellationRequested; i++)
            {
                await Task.WhenAll(peers.Select(p => p.SendAsync(ping)));
                await Task.Delay(100);
            }
        });
        try
        {
            var closed = await Task.WhenAll(peers.Select(p => p.ClosedAsync(TimeSpan.FromSeconds(30))));
            var took = DateTime.UtcNow - started;
            output.WriteLine($"{Peers} pinging idle peers closed {took.TotalSeconds:0.00} s after their preface");
            await stop.CancelAsync();
            await pinging.Within();
            await good.WaitForMoreAnswersAsync();

            output.WriteLine($"RSS baseline {baseline / MiB} MiB, peak {rss.Peak / MiB} MiB, bound {(baseline + (64 * MiB)) / MiB} MiB; well-behaved client: {good.Answers} answers, {good.Failures.Count} failures");
            Assert.All(closed, Assert.True);
            Assert.All(peers, p => Assert.Equal(GoAwayCode.NoError, WireFrames.GoAway(p.Frames())));
            Assert.True(took > TimeSpan.FromSeconds(0.9), $"closed after {took.TotalSeconds:0.00} s, before the idle timeout");
            // Bound: an idle connection holds a few KiB of buffers; 200 fit in 64 MiB with the GC's slack.
            Assert.True(rss.Peak < baseline + (64 * MiB), $"peak RSS {rss.Peak / MiB} MiB, baseline {baseline / MiB} MiB");
            // The well-behaved client's connection carries calls, so it is never idle.
            Assert.Empty(good.Failures);
        }
        finally
        {
            foreach (var peer in peers)
            {
                peer.Dispose();
            }
        }
    }

    /// <summary>
    /// Past MaxConnections (50 here, 10,000 by default) a connection gets GoAway TooManyConnections and
    /// is closed at once; the ones already in are served, and once they leave new ones are let in again.
    /// </summary>
    [Fact]
    public async Task ConnectionsPastTheMax_GetTooManyConnections_TheOthersAreServed()
    {
        const int Max = 50;
        const int Peers = 150;
        await using var server = await GreeterProcess.StartAsync($"--Shoal:Server:Native:MaxConnections={Max}");
        await using var good = await WellBehavedClient.StartAsync(server.Address);
        var baseline = server.ResidentBytes();
        await using var rss = server.SampleRss(bound: baseline + (64 * MiB));

        var peers = await Task.WhenAll(Enumerable.Range(0, Peers).Select(async _ =>
        {
            var peer = await AttackPeer.ConnectAsync(server.Port);
            peer.StartReading(TimeSpan.FromSeconds(60));
            await peer.SendAsync(WireFrames.Preface());
            return peer;
        }));
        await Wait.UntilAsync(() => peers.Count(p => p.Frames().Count > 0) == Peers, "every peer got a settings or go-away frame");
        var refused = peers.Where(p => WireFrames.GoAway(p.Frames()) == GoAwayCode.TooManyConnections).ToList();
        var admitted = peers.Where(p => p.Frames()[0].Type == FrameType.Settings).ToList();
        var refusedClosed = await Task.WhenAll(refused.Select(p => p.ClosedAsync(TimeSpan.FromSeconds(10))));
        await good.WaitForMoreAnswersAsync();
        foreach (var peer in admitted)
        {
            peer.Dispose();
        }
        var laterFrame = await ConnectOnceThereIsRoomAsync(server.Port);

        try
        {
            output.WriteLine($"RSS baseline {baseline / MiB} MiB, peak {rss.Peak / MiB} MiB, bound {(baseline + (64 * MiB)) / MiB} MiB; well-behaved client: {good.Answers} answers, {good.Failures.Count} failures");
            // The well-behaved client holds one of the 50 places.
            Assert.Equal(Max - 1, admitted.Count);
            Assert.Equal(Peers - (Max - 1), refused.Count);
            Assert.All(refusedClosed, Assert.True);
            Assert.Equal(FrameType.Settings, laterFrame.Type);
            Assert.True(rss.Peak < baseline + (64 * MiB), $"peak RSS {rss.Peak / MiB} MiB, baseline {baseline / MiB} MiB");
            Assert.Empty(good.Failures);
        }
        finally
        {
            foreach (var peer in peers)
            {
                peer.Dispose();
            }
        }
    }

    /// <summary>
    /// The gRPC port's own limit (<c>Shoal:Server:GrpcMaxConnections</c>, 50 here, 10,000 by default;
    /// Kestrel's is unlimited): 150 raw HTTP/2 peers at once, each sending the preface. The ones past the
    /// limit are closed before the server sends anything; the ones in get the server's SETTINGS, grpc-dotnet's
    /// client (one of the 50) keeps being answered, and once the others leave a new peer is let in again.
    /// </summary>
    [Fact]
    public async Task GrpcConnectionsPastTheMax_AreClosedUnanswered_TheOthersAreServed()
    {
        const int Max = 50;
        const int Peers = 150;
        await using var server = await GreeterProcess.StartAsync($"--Shoal:Server:GrpcMaxConnections={Max}");
        await using var good = await WellBehavedClient.StartGrpcAsync(server.GrpcPort);
        var baseline = server.ResidentBytes();
        await using var rss = server.SampleRss(bound: baseline + (64 * MiB));

        var attempts = await Task.WhenAll(Enumerable.Range(0, Peers).Select(async _ =>
        {
            try
            {
                var peer = await AttackPeer.ConnectAsync(server.GrpcPort);
                peer.StartReading(TimeSpan.FromSeconds(60));
                await peer.SendAsync(Http2Frames.Preface());
                return peer;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // A connection the server closed at once can be reset before the connect completes here.
                return null;
            }
        }));
        var peers = attempts.OfType<AttackPeer>().ToList();
        await Wait.UntilAsync(
            () => peers.All(p => p.Received().Length > 0 || p.ClosedAsync(TimeSpan.Zero).IsCompleted),
            "every peer got the server's SETTINGS or was closed");
        var admitted = peers.Where(p => p.Received().Length > 0).ToList();
        var refused = Peers - admitted.Count;
        var admittedOpen = admitted.Count(p => !p.ClosedAsync(TimeSpan.Zero).IsCompleted);
        await good.WaitForMoreAnswersAsync();
        foreach (var peer in admitted)
        {
            peer.Dispose();
        }
        var later = await ConnectToGrpcOnceThereIsRoomAsync(server.GrpcPort);

        try
        {
            output.WriteLine($"{admitted.Count} admitted ({admittedOpen} still open), {refused} refused ({Peers - peers.Count} reset while connecting); RSS baseline {baseline / MiB} MiB, peak {rss.Peak / MiB} MiB; well-behaved client: {good.Answers} answers, {good.Failures.Count} failures");
            // grpc-dotnet's client holds one of the 50 places.
            Assert.Equal(Max - 1, admitted.Count);
            Assert.Equal(Max - 1, admittedOpen);
            Assert.Equal(Peers - (Max - 1), refused);
            Assert.True(later, "no new connection was let in after the admitted peers left");
            Assert.True(rss.Peak < baseline + (64 * MiB), $"peak RSS {rss.Peak / MiB} MiB, baseline {baseline / MiB} MiB");
            Assert.Empty(good.Failures);
        }
        finally
        {
            foreach (var peer in peers)
            {
                peer.Dispose();
            }
        }
    }

    /// <summary>Kestrel counts a connection out when it has closed; try (bounded) until one gets the server's SETTINGS.</summary>
    private static async Task<bool> ConnectToGrpcOnceThereIsRoomAsync(int port)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            AttackPeer peer;
            try
            {
                peer = await AttackPeer.ConnectAsync(port);
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Still full: closed at once, reset before the connect completed here.
                await Task.Delay(250);
                continue;
            }
            using var _ = peer;
            peer.StartReading(TimeSpan.FromSeconds(15));
            await peer.SendAsync(Http2Frames.Preface());
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (DateTime.UtcNow < deadline && peer.Received().Length == 0 && !peer.ClosedAsync(TimeSpan.Zero).IsCompleted)
            {
                await Task.Delay(20);
            }
            if (peer.Received().Length > 0)
            {
                return true;
            }
            await Task.Delay(250);
        }
        return false;
    }

    /// <summary>The server counts a connection out when it has closed; try (bounded) until one is admitted.</summary>
    private static async Task<ReceivedFrame> ConnectOnceThereIsRoomAsync(int port)
    {
        ReceivedFrame first = null!;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            using var peer = await RawPeer.ConnectAsync(port);
            await peer.SendAsync(WireFrames.Preface());
            first = await ReadFirstFrameAsync(peer);
            if (first.Type == FrameType.Settings)
            {
                return first;
            }
            await Task.Delay(250);
        }
        return first;
    }

    private static async Task<ReceivedFrame> ReadFirstFrameAsync(RawPeer peer)
    {
        var buffer = new byte[4096];
        var received = new List<byte>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var n = await peer.Socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, timeout.Token);
            Assert.True(n > 0, "the server closed the connection instead of answering");
            received.AddRange(buffer.AsSpan(0, n));
            if (WireFrames.Parse(received.ToArray()) is [var first, ..])
            {
                return first;
            }
        }
    }
}
