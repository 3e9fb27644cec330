using Hello;
using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;
using Xunit.Abstractions;
using static Shoal.Transport.Native.Tests.Hostile.HostileCollection;

namespace Shoal.Transport.Native.Tests.Hostile;

[Collection(HostileCollection.Name)]
public sealed class SlowReaderTests(ITestOutputHelper output)
{
    /// <summary>
    /// The attack that took the old server from 61 MiB to 6.3 GiB in 25 s with one connection: a client
    /// grants 2 GiB windows, starts 4 SayHelloMany calls of a million 2 KB replies each, and never
    /// reads. Here 20 such clients at once. Writes wait once a connection buffers 1 MiB (the output
    /// limit), whatever the window, and a client that takes less than 16 KiB/s (raised from the default
    /// 240 B/s so the test is quick: a 64 KiB write is given 4 s) is aborted.
    /// </summary>
    [Fact]
    public async Task NonReadingClients_WithHugeWindows_OutputStaysBounded_AndTheyAreAborted()
    {
        const int Peers = 20;
        await using var server = await GreeterProcess.StartAsync(
            "--Shoal:Server:Native:MinSendDataRate=16384",
            "--Shoal:Server:Native:MinSendDataRateGracePeriod=00:00:01");
        await using var good = await WellBehavedClient.StartAsync(server.Address);
        var baseline = server.ResidentBytes();
        await using var rss = server.SampleRss(bound: baseline + (Peers * 4 * MiB) + (64 * MiB));
        var attack = new List<byte>(WireFrames.Preface((SettingId.InitialWindow, int.MaxValue), (SettingId.InitialConnectionWindow, int.MaxValue)));
        for (uint id = 1; id <= 4; id++)
        {
            attack.AddRange(WireFrames.CallStart(id, WireFrames.SayHelloMany, new ManyHellosRequest { Name = new string('n', 2048), Count = 1_000_000 }));
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var peers = await Task.WhenAll(Enumerable.Range(0, Peers).Select(async _ =>
        {
            var peer = await AttackPeer.ConnectAsync(server.Port);
            await peer.SendAsync(attack.ToArray());
            return peer;
        }));
        try
        {
            // Not reading, the peers cannot see a go-away; the server says in its log that it gave up on them.
            await Wait.UntilAsync(() => server.CountLines("does not read its output") >= Peers, $"the server aborted all {Peers} non-reading clients", TimeSpan.FromSeconds(60));
            output.WriteLine($"{Peers} non-reading peers aborted within {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
            await good.WaitForMoreAnswersAsync();
            var closed = await Task.WhenAll(peers.Select(p => p.ClosedAsync(TimeSpan.FromSeconds(60))));

            output.WriteLine($"RSS baseline {baseline / MiB} MiB, peak {rss.Peak / MiB} MiB, bound {(baseline + (Peers * 4 * MiB) + (64 * MiB)) / MiB} MiB; well-behaved client: {good.Answers} answers, {good.Failures.Count} failures");
            Assert.All(closed, Assert.True);
            // Bound: per connection the buffer being filled and the one being sent (1 MiB each, plus one
            // 2 KB message) and the transport's pipe: under 4 MiB each, 80 MiB for 20, plus 64 MiB of
            // slack for the GC heap. Without the output limit each connection grew by gigabytes.
            Assert.True(rss.Peak < baseline + (Peers * 4 * MiB) + (64 * MiB), $"peak RSS {rss.Peak / MiB} MiB, baseline {baseline / MiB} MiB");
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
