using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;
using Xunit.Abstractions;
using static Shoal.Transport.Native.Tests.Hostile.HostileCollection;

namespace Shoal.Transport.Native.Tests.Hostile;

/// <summary>
/// A thousand slow or idle peers on the native port at once, with the transport waiting for data
/// before it takes a receive block (true) or receiving straight into one (false, the default): each
/// must cost the server at most <see cref="BytesPerPeer"/> of resident memory, be dropped by the limit
/// docs/security.md names for it, and a well-behaved client must keep being answered meanwhile.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class ManySlowNativePeersTests(ITestOutputHelper output)
{
    private const int Peers = 1000;

    /// <summary>
    /// Issue 14's bound per idle connection: Kestrel's socket, its two pipes and its receive block
    /// (4 KiB while it waits, unless it waits for data first), the native connection's state and
    /// watchdog, and a call's state for the peers that hold one, with the GC's slack. A server that
    /// buffered a frame per peer or kept a per-peer copy of its input would pass it.
    /// </summary>
    private const long BytesPerPeer = 64 * 1024;

    /// <summary>
    /// Peers that connect and send nothing, with the default limits: dropped with GoAway Timeout by the
    /// handshake timeout (10 s), none before it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SilentPeers_DefaultLimits_CostAtMost64KiBEach_AndAreDroppedByTheHandshakeTimeout(bool waitForData)
    {
        var result = await AttackAsync(waitForData, [], opening: [], dribble: null);

        Assert.All(result.Frames, f => Assert.Equal(GoAwayCode.Timeout, WireFrames.GoAway(f)));
        Assert.True(result.Took > TimeSpan.FromSeconds(9.5), $"dropped {result.Took.TotalSeconds:0.0} s after the attack began, before the handshake timeout");
    }

    /// <summary>
    /// Slowloris: peers send their preface, then a ping frame one byte every 300 ms (about 3 B/s).
    /// The minimum receive rate (240 B/s, measured over 2 s here, 5 s by default) drops them with
    /// GoAway Timeout; the idle timeout (130 s) plays no part.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SlowlorisPeers_DribblingAFrameHeader_CostAtMost64KiBEach_AndAreDroppedByTheMinimumReceiveRate(bool waitForData)
    {
        var ping = RawPeer.Frame(FrameType.Ping, FrameFlags.None, 0, new byte[8]);
        var result = await AttackAsync(waitForData, ["--Shoal:Server:Native:MinReceiveDataRateGracePeriod=00:00:02"], WireFrames.Preface(), dribble: ping);

        Assert.All(result.Frames, f => Assert.Equal(GoAwayCode.Timeout, WireFrames.GoAway(f)));
    }

    /// <summary>
    /// Peers that start a client-streaming call (SayHelloToAll) and never send a message or its end,
    /// nor answer the server's pings: the open call keeps the idle timeout away, and keepalive (ping
    /// every 2 s, 2 s to answer here; 30 s and 20 s by default) drops them with GoAway Timeout.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PeersWithAnOpenCallNeverEnded_CostAtMost64KiBEach_AndAreDroppedByKeepAlive(bool waitForData)
    {
        byte[] opening = [.. WireFrames.Preface(), .. WireFrames.CallStart(1, WireFrames.SayHelloToAll, request: null)];
        var result = await AttackAsync(
            waitForData,
            ["--Shoal:Server:Native:KeepAliveInterval=00:00:02", "--Shoal:Server:Native:KeepAliveTimeout=00:00:02"],
            opening,
            dribble: null);

        Assert.All(result.Frames, f => Assert.Equal(GoAwayCode.Timeout, WireFrames.GoAway(f)));
    }

    private async Task<AttackResult> AttackAsync(bool waitForData, string[] settings, byte[] opening, byte[]? dribble)
    {
        await using var server = await GreeterProcess.StartAsync([$"--Shoal:Server:WaitForDataBeforeReceiveBuffer={waitForData}", .. settings]);
        await using var good = await WellBehavedClient.StartAsync(server.Address);
        await good.WaitForMoreAnswersAsync();
        var baseline = server.ResidentBytes();
        var bound = baseline + (Peers * BytesPerPeer);
        await using var rss = server.SampleRss(bound);

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var peers = await ManyPeers.ConnectAsync(server.Port, Peers, opening, readFor: TimeSpan.FromSeconds(45));
        using var stop = new CancellationTokenSource();
        var dribbling = dribble is null ? Task.CompletedTask : Task.Run(() => peers.DribbleAsync(dribble, steps: 150, stop.Token));
        await good.WaitForMoreAnswersAsync();
        var closed = await peers.ClosedAsync();
        var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        await stop.CancelAsync();
        await dribbling.Within();
        await good.WaitForMoreAnswersAsync();

        var peak = rss.Peak;
        var perPeer = (peak - baseline) / Peers;
        output.WriteLine($"waitForData={waitForData}: {Peers} peers connected in {peers.ConnectTook.TotalSeconds:0.0} s, {closed.Count(c => c)} closed by the server within {took.TotalSeconds:0.0} s of the attack's start");
        output.WriteLine($"RSS baseline {baseline / MiB} MiB, peak {peak / MiB} MiB, per peer {perPeer / 1024.0:0.0} KiB (bound {BytesPerPeer / 1024} KiB); well-behaved client: {good.Answers} answers, {good.Failures.Count} failures");
        Assert.All(closed, Assert.True);
        Assert.True(perPeer <= BytesPerPeer, $"{perPeer / 1024.0:0.0} KiB per peer: peak RSS {peak / MiB} MiB, baseline {baseline / MiB} MiB");
        Assert.Empty(good.Failures);
        return new AttackResult([.. peers.Peers.Select(p => p.Frames())], took);
    }

    private sealed record AttackResult(IReadOnlyList<List<ReceivedFrame>> Frames, TimeSpan Took);
}
