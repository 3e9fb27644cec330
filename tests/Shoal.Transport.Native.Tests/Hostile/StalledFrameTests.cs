using Grpc.Core;
using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;
using Xunit.Abstractions;
using static Shoal.Transport.Native.Tests.Hostile.HostileCollection;

namespace Shoal.Transport.Native.Tests.Hostile;

[Collection(HostileCollection.Name)]
public sealed class StalledFrameTests(ITestOutputHelper output)
{
    /// <summary>
    /// The attack measured on the old server (RSS 61 MiB to 1,093 MiB, peers never dropped): 250
    /// connections each declare a 4 MiB CallStart, send all of it but the last 100 bytes, and stall.
    /// With the default limits the frame budget (256 MiB) holds at most 64 of those frames; the other
    /// calls are refused with ResourceExhausted and their bytes skipped, and every stalled peer is
    /// dropped with GoAway Timeout by the minimum receive rate (240 B/s, measured over 5 s).
    /// </summary>
    [Fact]
    public async Task StalledLargeFrames_DefaultLimits_250Peers_MemoryBoundedByTheBudget_AllDroppedWithTimeout()
    {
        const int Peers = 250;
        const int Declared = 4 * 1024 * 1024;
        await using var server = await GreeterProcess.StartAsync();
        await using var good = await WellBehavedClient.StartAsync(server.Address);
        var baseline = server.ResidentBytes();
        var bound = baseline + (256 * MiB) + (Peers * MiB) + (64 * MiB);
        await using var rss = server.SampleRss(bound: bound);
        var frame = new byte[FrameHeader.Size + Declared - 100];
        new FrameHeader(Declared, FrameType.CallStart, FrameFlags.HasMessage | FrameFlags.EndStream, 1).Write(frame);

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var peers = await Task.WhenAll(Enumerable.Range(0, Peers).Select(async _ =>
        {
            var peer = await AttackPeer.ConnectAsync(server.Port);
            peer.StartReading(TimeSpan.FromSeconds(90));
            await peer.SendAsync(WireFrames.Preface());
            await peer.SendAsync(frame);
            return peer;
        }));
        await good.WaitForMoreAnswersAsync();
        var closed = await Task.WhenAll(peers.Select(p => p.ClosedAsync(TimeSpan.FromSeconds(90))));
        var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        await good.WaitForMoreAnswersAsync();

        var frames = peers.Select(p => p.Frames()).ToList();
        var refused = frames.Count(f => WireFrames.Statuses(f).GetValueOrDefault(1u) == StatusCode.ResourceExhausted);
        output.WriteLine($"{Peers} peers dropped within {took.TotalSeconds:0.0} s of the attack's start; {refused} calls refused for the frame budget");
        try
        {
            output.WriteLine($"RSS baseline {baseline / MiB} MiB, peak {rss.Peak / MiB} MiB, bound {bound / MiB} MiB; well-behaved client: {good.Answers} answers, {good.Failures.Count} failures");
            Assert.All(closed, Assert.True);
            Assert.All(frames, f => Assert.Equal(GoAwayCode.Timeout, WireFrames.GoAway(f)));
            // 250 × 4 MiB do not fit in 256 MiB: calls past the budget were refused without buffering
            // (how many depends on how soon the first stalled peers were dropped and their room freed).
            Assert.InRange(refused, 1, Peers);
            // Bound: security.md's worst case for these peers: what the server ran with, plus the whole
            // budget held at once (the only frames it assembles), plus the transport's input of each
            // connection (Kestrel stops reading one at 1 MiB unconsumed), plus 64 MiB for pooled arrays
            // and large-object garbage the GC has not collected yet. The old server went from 61 MiB to
            // 1,093 MiB; an unbounded one does not pass this.
            Assert.True(rss.Peak < bound, $"peak RSS {rss.Peak / MiB} MiB, baseline {baseline / MiB} MiB");
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
}
