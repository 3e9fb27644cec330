using Grpc.Net.Client;
using Shoal.Client.Discovery.Embedded;
using Shoal.Registry.Tests.Support;

namespace Shoal.Registry.Tests.Embedded;

/// <summary>A registry restart must not make watchers drop instances that are about to register again.</summary>
public sealed class EmbeddedRegistryRestartTests
{
    [Fact]
    public async Task RegistryRestarts_InstancesStillRegistering_WatcherNeverSeesThemLeave()
    {
        var host = await RegistryHost.StartAsync(startupGrace: TimeSpan.FromSeconds(4));
        var port = host.Port;
        using var channel = GrpcChannel.ForAddress(host.Address);
        var options = new EmbeddedRegistryClientOptions { ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        await using var client = new EmbeddedRegistryClient(channel.CreateCallInvoker(), options);
        try
        {
            // A long TTL: the keepalive notices the restart up to 2 s late, well inside the grace.
            await using var registration = await client.RegisterAsync(TestInstances.Create("a-1"), TimeSpan.FromSeconds(6));
            await using var probe = WatchProbe.Start(client, "hello.Greeter");
            await probe.WaitForAsync(s => s.Has("a-1"), TimeSpan.FromSeconds(10), "a-1");

            await host.DisposeAsync();
            await probe.WaitForAsync(s => s.IsStale, TimeSpan.FromSeconds(10), "a stale set");
            host = await RegistryHost.StartAsync(port, startupGrace: TimeSpan.FromSeconds(4));
            await probe.WaitForAsync(s => !s.IsStale, TimeSpan.FromSeconds(10), "a fresh set");
            await Task.Delay(TimeSpan.FromSeconds(5));

            Assert.All(probe.Seen.SkipWhile(s => !s.Has("a-1")), s => Assert.True(s.Has("a-1"), WatchProbe.Describe(probe.Seen)));
            Assert.True(host.Store.Snapshot("hello.Greeter").Has("a-1"), "a-1 should have registered again");
            Assert.False(host.Store.IsRecovering);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
