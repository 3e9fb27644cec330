using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Discovery.Dns;
using Shoal.Client.Discovery.Internal;
using Shoal.Instances;
using Shoal.Registry.Tests.Support;
using Shoal.Targets;

namespace Shoal.Registry.Tests.Dns;

public sealed class DnsSrvTests
{
    private const string Name = "_grpc._tcp.greeter.default.svc.cluster.local";

    [Fact]
    public void ParseResponse_SrvWithAdditionalAddresses_AttachesThemToTheirTargets()
    {
        var answer = new DnsAnswerBuilder()
            .Srv(10, 50, 7000, "pod-a.greeter.local")
            .Srv(10, 50, 7001, "pod-b.greeter.local")
            .Address("pod-a.greeter.local", IPAddress.Parse("10.1.0.1"))
            .Address("pod-a.greeter.local", IPAddress.Parse("fd00::1"))
            .Build(77, Name);

        var records = DnsSrvClient.ParseResponse(answer, 77);

        Assert.Equal(2, records.Count);
        Assert.Equal(new[] { "pod-a.greeter.local", "pod-b.greeter.local" }, records.Select(r => r.Target));
        Assert.Equal(7000, records[0].Port);
        Assert.Equal(new[] { IPAddress.Parse("10.1.0.1"), IPAddress.Parse("fd00::1") }, records[0].Addresses.ToArray());
        Assert.Empty(records[1].Addresses);
    }

    [Fact]
    public void ParseResponse_NxDomainOrTruncatedOrForeign_NoRecordsOrClearError()
    {
        Assert.Empty(DnsSrvClient.ParseResponse(new DnsAnswerBuilder().Build(5, Name, rcode: 3), 5));
        var full = new DnsAnswerBuilder().Srv(1, 1, 7000, "pod-a.local").Build(5, Name);
        Assert.Throws<FormatException>(() => DnsSrvClient.ParseResponse(full.AsSpan(0, full.Length - 3), 5));
        Assert.Throws<FormatException>(() => DnsSrvClient.ParseResponse(full, 6));
        Assert.Throws<FormatException>(() => DnsSrvClient.ParseResponse(new DnsAnswerBuilder().Build(5, Name, rcode: 2), 5));
    }

    [Fact]
    public void BuildQuery_LabelTooLong_FormatException()
    {
        Assert.Throws<FormatException>(() => DnsSrvClient.BuildQuery(1, new string('a', 64) + ".local"));
        Assert.Throws<FormatException>(() => DnsSrvClient.BuildQuery(1, "a..local"));
    }

    [Fact]
    public async Task Watch_SrvTargetAgainstALoopbackDnsServer_InstancesFromTheLowestPriorityWithPortsAndWeights()
    {
        using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)server.Client.LocalEndPoint!).Port;
        using var stop = new CancellationTokenSource();
        var serving = ServeAsync(server, new DnsAnswerBuilder()
            .Srv(10, 30, 7000, "pod-a.greeter.local")
            .Srv(10, 10, 7001, "pod-b.greeter.local")
            .Srv(20, 10, 7002, "backup.greeter.local")
            .Address("pod-a.greeter.local", IPAddress.Parse("10.1.0.1")), stop.Token);
        var options = new DnsResolverOptions
        {
            TimeProvider = new FakeTimeProvider(),
            // pod-b came without an address record: it is resolved as a host name.
            Resolve = (host, _) => Task.FromResult(host == "pod-b.greeter.local" ? [IPAddress.Parse("10.1.0.2")] : Array.Empty<IPAddress>()),
        };
        var resolver = DnsServiceResolver.FromTarget(ShoalTarget.Parse($"dns://127.0.0.1:{port}/{Name}:1?record=srv"), options);

        await using var probe = WatchProbe.Start(resolver, "hello.Greeter");
        var set = await probe.WaitForAsync(_ => true, TimeSpan.FromSeconds(10), "the SRV set");
        await stop.CancelAsync();
        await serving;

        Assert.False(set.IsStale, WatchProbe.Describe([set]));
        Assert.Equal(["10.1.0.1:7000", "10.1.0.2:7001"], set.Instances.Select(i => i.InstanceId));
        Assert.Equal([30, 10], set.Instances.Select(i => i.Weight));
        Assert.Equal(new Uri("shoal://10.1.0.2:7001"), set.Instances[1].AddressFor(TransportKind.Native));
    }

    [Fact]
    public void FromTarget_UnknownRecordTypeOrBadServer_FormatException()
    {
        Assert.Throws<FormatException>(() => DnsServiceResolver.FromTarget(ShoalTarget.Parse("dns:///greeter.local:7000?record=mx")));
        Assert.Throws<FormatException>(() => DnsServiceResolver.FromTarget(ShoalTarget.Parse("dns://dns-server:53/greeter.local:7000")));
    }

    private static async Task ServeAsync(UdpClient server, DnsAnswerBuilder answer, CancellationToken cancellationToken)
    {
        // Bounded: answers at most 20 queries.
        for (var i = 0; i < 20; i++)
        {
            UdpReceiveResult query;
            try
            {
                query = await server.ReceiveAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var id = BinaryPrimitives.ReadUInt16BigEndian(query.Buffer);
            await server.SendAsync(answer.Build(id, Name), query.RemoteEndPoint, CancellationToken.None);
        }
    }
}
