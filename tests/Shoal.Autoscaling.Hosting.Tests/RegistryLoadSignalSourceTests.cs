using System.Diagnostics;
using Grpc.Core;
using Shoal.Autoscaling.Hosting.Tests.Infrastructure;
using Shoal.Autoscaling.Signals;

namespace Shoal.Autoscaling.Hosting.Tests;

public sealed class RegistryLoadSignalSourceTests
{
    [Fact]
    public async Task Read_TwoRegisteredHostsUnderLoad_AggregatesBoth()
    {
        await using var cluster = await TestCluster.StartAsync();
        var a = await cluster.StartGreeterAsync();
        var b = await cluster.StartGreeterAsync();
        await using var source = new RegistryLoadSignalSource(new RegistryLoadSignalOptions { Target = cluster.GreeterTarget });
        source.Start();
        await using var okLoad = new LoadLoop(a.NativeTarget);
        await using var failingLoad = new LoadLoop(b.NativeTarget, StatusCode.Unavailable);

        var load = await WaitForAsync(source, l => l.Instances == 2 && l.RequestsPerSecond > 0 && l.Errors > 0);

        Assert.Equal(2, load.Instances);
        Assert.Equal(new[] { a.InstanceId, b.InstanceId }.Order(StringComparer.Ordinal), source.Instances.Order(StringComparer.Ordinal));
        Assert.True(load.RequestsPerSecondPerInstance > 0);
        Assert.True(source.ReportsReceived >= 2);
        // Only b fails its calls, so the errors can only have come from b's reports.
        Assert.Equal(0, a.Monitor.Latest.TotalErrors);
        Assert.True(b.Monitor.Latest.TotalErrors > 0);
    }

    [Fact]
    public async Task Read_HostLeavesTheRegistry_StopsCountingIt()
    {
        await using var cluster = await TestCluster.StartAsync();
        var a = await cluster.StartGreeterAsync();
        var b = await cluster.StartGreeterAsync();
        await using var source = new RegistryLoadSignalSource(new RegistryLoadSignalOptions { Target = cluster.GreeterTarget });
        source.Start();
        await WaitForAsync(source, l => l.Instances == 2);

        await b.StopAsync();

        var load = await WaitForAsync(source, l => l.Instances == 1 && source.Instances.Count == 1);
        Assert.Equal([a.InstanceId], source.Instances);
        Assert.Equal(1, load.Instances);
    }

    [Fact]
    public async Task Read_StaticTargetWhoseServerRestarts_ReconnectsToTheNewProcess()
    {
        await using var cluster = await TestCluster.StartAsync();
        var first = await cluster.StartGreeterAsync(register: false);
        var port = new Uri(first.NativeTarget).Port;
        await using var source = new RegistryLoadSignalSource(new RegistryLoadSignalOptions
        {
            Target = $"static://127.0.0.1:{port}",
            StaleAfter = TimeSpan.FromSeconds(1),
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        });
        source.Start();
        await WaitForAsync(source, l => l.Instances == 1);
        var reportsBefore = source.ReportsReceived;

        // Same address, new process: the static list does not change, so only a reconnect finds it.
        await first.StopAsync();
        var second = await cluster.StartGreeterAsync(nativePort: port, register: false);
        await using var load = new LoadLoop(second.NativeTarget);

        var loaded = await WaitForAsync(source, l => l.Instances == 1 && l.RequestsPerSecond > 0);
        Assert.True(source.ReportsReceived > reportsBefore);
        Assert.Equal(1, loaded.Instances);
    }

    [Fact]
    public void Create_DirectOrServicelessTarget_Throws()
    {
        Assert.Throws<FormatException>(() => new RegistryLoadSignalSource(new RegistryLoadSignalOptions { Target = "shoal://127.0.0.1:7000" }));
        Assert.Throws<FormatException>(() => new RegistryLoadSignalSource(new RegistryLoadSignalOptions { Target = "registry://127.0.0.1:7000" }));
        Assert.Throws<NotSupportedException>(() => new RegistryLoadSignalSource(new RegistryLoadSignalOptions { Target = "nosuch://127.0.0.1:7000/x" }));
        Assert.Throws<ArgumentException>(() => new RegistryLoadSignalSource(new RegistryLoadSignalOptions { Target = " " }));
    }

    /// <summary>Polls the source until <paramref name="done"/> holds (bounded by the cluster timeout).</summary>
    internal static async Task<ClusterLoad> WaitForAsync(RegistryLoadSignalSource source, Func<ClusterLoad, bool> done)
    {
        var watch = Stopwatch.StartNew();
        var load = source.Read();
        while (!done(load))
        {
            Assert.True(watch.Elapsed < TestCluster.Timeout, $"The load never matched; last: {load}, watching {string.Join(",", source.Instances)}");
            await Task.Delay(50);
            load = source.Read();
        }
        return load;
    }
}
