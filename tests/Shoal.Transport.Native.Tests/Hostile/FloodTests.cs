using Grpc.Core;
using Hello;
using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;
using Xunit.Abstractions;
using static Shoal.Transport.Native.Tests.Hostile.HostileCollection;

namespace Shoal.Transport.Native.Tests.Hostile;

[Collection(HostileCollection.Name)]
public sealed class FloodTests(ITestOutputHelper output)
{
    private const int Peers = 20;
    private const int CallsPerPeer = 3000;
    private static readonly Metadata SlowHandler = new() { { GreeterHeaders.Delay, "30000" } };

    /// <summary>
    /// HTTP/2 rapid reset (CVE-2023-44487) on the native protocol: 20 connections each send 3,000
    /// CallStart + Cancel pairs for a call whose handler would run 30 s. Past 200 resets a second
    /// (the default) the server answers GoAway EnhanceYourCalm and closes.
    /// </summary>
    [Fact]
    public async Task CancelFlood_DefaultLimits_PeersGetEnhanceYourCalm_MemoryStaysFlat()
    {
        var attack = new List<byte>(WireFrames.Preface((SettingId.InitialConnectionWindow, 1 << 20)));
        for (uint id = 1; id <= CallsPerPeer; id++)
        {
            attack.AddRange(WireFrames.CallStart(id, WireFrames.SayHello, new HelloRequest { Name = "flood" }, headers: SlowHandler));
            attack.AddRange(WireFrames.Cancel(id));
        }
        await RunFloodAsync(attack.ToArray());
    }

    /// <summary>
    /// Calls whose deadline has passed by the time they arrive (1 µs): each makes the server start a
    /// handler, arm a timer and send DeadlineExceeded. Past 200 such calls a second the server answers
    /// GoAway EnhanceYourCalm and closes.
    /// </summary>
    [Fact]
    public async Task MicrosecondDeadlines_DefaultLimits_PeersGetEnhanceYourCalm_MemoryStaysFlat()
    {
        var attack = new List<byte>(WireFrames.Preface((SettingId.InitialConnectionWindow, 1 << 20)));
        for (uint id = 1; id <= CallsPerPeer; id++)
        {
            attack.AddRange(WireFrames.CallStart(id, WireFrames.SayHello, new HelloRequest { Name = "expire" }, timeoutMicros: 1, headers: SlowHandler));
        }
        await RunFloodAsync(attack.ToArray());
    }

    private async Task RunFloodAsync(byte[] attack)
    {
        await using var server = await GreeterProcess.StartAsync();
        await using var good = await WellBehavedClient.StartAsync(server.Address);
        var baseline = server.ResidentBytes();
        await using var rss = server.SampleRss(bound: baseline + (64 * MiB));

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var peers = await Task.WhenAll(Enumerable.Range(0, Peers).Select(async _ =>
        {
            var peer = await AttackPeer.ConnectAsync(server.Port);
            peer.StartReading(TimeSpan.FromSeconds(60));
            await peer.SendAsync(attack);
            return peer;
        }));
        try
        {
            var closed = await Task.WhenAll(peers.Select(p => p.ClosedAsync(TimeSpan.FromSeconds(60))));
            output.WriteLine($"{Peers} peers closed {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s after the attack began; answered before the go-away: {peers.Sum(p => WireFrames.Statuses(p.Frames()).Count)} calls");
            await good.WaitForMoreAnswersAsync();

            output.WriteLine($"RSS baseline {baseline / MiB} MiB, peak {rss.Peak / MiB} MiB, bound {(baseline + (64 * MiB)) / MiB} MiB; well-behaved client: {good.Answers} answers, {good.Failures.Count} failures");
            Assert.All(closed, Assert.True);
            Assert.All(peers, p => Assert.Equal(GoAwayCode.EnhanceYourCalm, WireFrames.GoAway(p.Frames())));
            // Bound: at most 100 live handlers per connection (each a few KiB) and the frames of one
            // read: 20 connections fit in 64 MiB with room for the GC's slack.
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
}
