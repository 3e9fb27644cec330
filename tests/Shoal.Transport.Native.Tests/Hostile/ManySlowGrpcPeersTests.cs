using Shoal.Transport.Native.Tests.Infrastructure;
using Xunit.Abstractions;
using static Shoal.Transport.Native.Tests.Hostile.HostileCollection;

namespace Shoal.Transport.Native.Tests.Hostile;

/// <summary>
/// A thousand slow or idle peers on the gRPC port (HTTP/2 cleartext, Kestrel and grpc-dotnet) of the
/// same Greeter process the native hostile tests attack, with the socket transport waiting for data
/// before it takes a receive block (true) or not (false, Shoal's default): each must cost the server
/// at most <see cref="BytesPerIdlePeer"/> (<see cref="BytesPerPeerWithAStream"/> with a request open), be dropped by the Kestrel limit docs/security.md names for it,
/// and grpc-dotnet's client must keep being answered on the same port meanwhile.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class ManySlowGrpcPeersTests(ITestOutputHelper output)
{
    private const int Peers = 1000;

    /// <summary>The same bound per idle peer as on the native port (issue 14: 64 KiB per idle connection).</summary>
    private const long BytesPerIdlePeer = 64 * 1024;

    /// <summary>
    /// A peer with a request open is not idle: the idle bound plus 32 KiB for one HTTP/2 stream, which
    /// Kestrel gives its own stream object, request headers, request and response pipes (the stalled
    /// bytes sit in a 4 KiB pool block of the request pipe) and HttpContext, and grpc-dotnet its call
    /// context.
    /// </summary>
    private const long BytesPerPeerWithAStream = BytesPerIdlePeer + (32 * 1024);

    /// <summary>Kestrel's GOAWAY error codes (RFC 9113 section 7).</summary>
    private const uint NoError = 0x0;

    /// <summary>
    /// Peers that connect and send nothing, not even the HTTP/2 preface: Kestrel's keep-alive timeout
    /// (5 s here, bound from <c>Kestrel:Limits:KeepAliveTimeout</c>; 130 s by default) runs from the
    /// connection's start, and they get GOAWAY NO_ERROR. Before Shoal bound that section no
    /// configuration could shorten it, and none of the 1,000 was closed within 45 s.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SilentPeers_CostAtMost64KiBEach_AndAreDroppedByTheConfiguredKeepAliveTimeout(bool waitForData)
    {
        var result = await AttackAsync(waitForData, opening: [], BytesPerIdlePeer);

        output.WriteLine($"GOAWAY codes: {Codes(result)}");
        Assert.All(result, r => Assert.Equal(NoError, Http2Frames.GoAway(r)));
    }

    /// <summary>Peers that send the HTTP/2 preface and their SETTINGS, then nothing: closed by Kestrel's keep-alive timeout (5 s here) with GOAWAY NO_ERROR.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PeersThatStallAfterThePreface_CostAtMost64KiBEach_AndAreDroppedByTheKeepAliveTimeout(bool waitForData)
    {
        var result = await AttackAsync(waitForData, opening: Http2Frames.Preface(), BytesPerIdlePeer);

        output.WriteLine($"GOAWAY codes: {Codes(result)}");
        Assert.All(result, r => Assert.Equal(NoError, Http2Frames.GoAway(r)));
    }

    /// <summary>
    /// Peers that start a unary SayHello, send 10 bytes of a 100-byte request message and stall: the
    /// handler's read of the body waits, and Kestrel's minimum request body data rate (its default, 240
    /// B/s after a 5 s grace period) aborts each connection, mostly without a GOAWAY.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PeersThatStallARequestBody_CostAtMost96KiBEach_AndAreDroppedByTheMinimumRequestBodyDataRate(bool waitForData)
    {
        byte[] message = [0, 0, 0, 0, 100, .. new byte[10]];
        byte[] opening = [.. Http2Frames.Preface(), .. Http2Frames.CallHeaders(1, WireFrames.SayHello), .. Http2Frames.DataFrame(1, message)];
        var result = await AttackAsync(waitForData, opening, BytesPerPeerWithAStream);

        output.WriteLine($"GOAWAY codes: {Codes(result)}");
    }

    private static string Codes(IEnumerable<byte[]> received) =>
        string.Join(", ", received.GroupBy(r => Http2Frames.GoAway(r)?.ToString() ?? "none").Select(g => $"{g.Key} × {g.Count()}"));

    private async Task<byte[][]> AttackAsync(bool waitForData, byte[] opening, long bytesPerPeer)
    {
        await using var server = await GreeterProcess.StartAsync(
            $"--Shoal:Server:WaitForDataBeforeReceiveBuffer={waitForData}",
            "--Kestrel:Limits:KeepAliveTimeout=00:00:05");
        await using var good = await WellBehavedClient.StartGrpcAsync(server.GrpcPort);
        await good.WaitForMoreAnswersAsync();
        var baseline = server.ResidentBytes();
        var bound = baseline + (Peers * bytesPerPeer);
        await using var rss = server.SampleRss(bound);

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var peers = await ManyPeers.ConnectAsync(server.GrpcPort, Peers, opening, readFor: TimeSpan.FromSeconds(45));
        await good.WaitForMoreAnswersAsync();
        var closed = await peers.ClosedAsync();
        var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        await good.WaitForMoreAnswersAsync();

        var peak = rss.Peak;
        var perPeer = (peak - baseline) / Peers;
        output.WriteLine($"waitForData={waitForData}: {Peers} peers connected in {peers.ConnectTook.TotalSeconds:0.0} s, {closed.Count(c => c)} closed by the server within {took.TotalSeconds:0.0} s of the attack's start");
        output.WriteLine($"RSS baseline {baseline / MiB} MiB, peak {peak / MiB} MiB, per peer {perPeer / 1024.0:0.0} KiB (bound {bytesPerPeer / 1024} KiB); well-behaved client: {good.Answers} answers, {good.Failures.Count} failures");
        Assert.All(closed, Assert.True);
        Assert.True(perPeer <= bytesPerPeer, $"{perPeer / 1024.0:0.0} KiB per peer: peak RSS {peak / MiB} MiB, baseline {baseline / MiB} MiB");
        Assert.Empty(good.Failures);
        return [.. peers.Peers.Select(p => p.Received())];
    }
}
