using Grpc.Core;
using Hello;
using Shoal.Transport.Native.Tests.Infrastructure;
using Xunit.Abstractions;
using static Shoal.Transport.Native.Tests.Hostile.HostileCollection;

namespace Shoal.Transport.Native.Tests.Hostile;

[Collection(HostileCollection.Name)]
public sealed class MetadataTests(ITestOutputHelper output)
{
    /// <summary>
    /// 100 connections each start one call with 40 KiB of request metadata (over the 32 KiB block
    /// limit) and one ordinary call: the first is refused with ResourceExhausted, the second is
    /// answered on the same connection; nobody gets a go-away. The native client refuses to send
    /// such a call itself.
    /// </summary>
    [Fact]
    public async Task OversizedRequestMetadata_FailsThatCallOnly_ConnectionsLiveOn()
    {
        const int Peers = 100;
        await using var server = await GreeterProcess.StartAsync();
        await using var good = await WellBehavedClient.StartAsync(server.Address);
        var baseline = server.ResidentBytes();
        await using var rss = server.SampleRss(bound: baseline + (64 * MiB));
        var big = new Metadata { { "x-big", new string('m', 40 * 1024) } };
        byte[] attack =
        [
            .. WireFrames.Preface(),
            .. WireFrames.CallStart(1, WireFrames.SayHello, new HelloRequest { Name = "big" }, headers: big),
            .. WireFrames.CallStart(3, WireFrames.SayHello, new HelloRequest { Name = "after" }),
        ];

        var peers = await Task.WhenAll(Enumerable.Range(0, Peers).Select(async _ =>
        {
            var peer = await AttackPeer.ConnectAsync(server.Port);
            peer.StartReading(TimeSpan.FromSeconds(30));
            await peer.SendAsync(attack);
            return peer;
        }));
        await using var native = TestClient.Connect(server.Address);
        var local = await Assert.ThrowsAsync<RpcException>(() => native.Greeter().SayHelloAsync(new HelloRequest { Name = "x" }, headers: big).ResponseAsync.Within());
        var afterLocal = await native.Greeter().SayHelloAsync(new HelloRequest { Name = "y" }).ResponseAsync.Within();
        try
        {
            await Wait.UntilAsync(() => peers.All(p => WireFrames.Statuses(p.Frames()).Count == 2), "every peer got both answers");
            await good.WaitForMoreAnswersAsync();

            output.WriteLine($"RSS baseline {baseline / MiB} MiB, peak {rss.Peak / MiB} MiB, bound {(baseline + (64 * MiB)) / MiB} MiB; well-behaved client: {good.Answers} answers, {good.Failures.Count} failures");
            Assert.All(peers, p =>
            {
                var statuses = WireFrames.Statuses(p.Frames());
                Assert.Equal(StatusCode.ResourceExhausted, statuses[1]);
                Assert.Equal(StatusCode.OK, statuses[3]);
                Assert.Null(WireFrames.GoAway(p.Frames()));
            });
            Assert.Equal(StatusCode.ResourceExhausted, local.StatusCode);
            Assert.Equal("Hello y", afterLocal.Message);
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
