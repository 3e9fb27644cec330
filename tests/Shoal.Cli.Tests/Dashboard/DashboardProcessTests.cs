using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Dashboard;

/// <summary><c>shoal dashboard</c> as a process over a registry with three <c>shoal serve</c> Greeters, read through <c>/events</c>.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardProcessTests
{
    private const string Greeter = "hello.Greeter";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task ThreeGreeters_OneStopped_EventsListThreeThenTwoWithLoad()
    {
        await using var dashboard = await DashboardCluster.StartAsync();

        var full = await DashboardEventStream.WaitForAsync(dashboard.Url,
            s => DashboardEventStream.InstanceIds(s, Greeter).Count == 3 && Instances(s).All(i => i.TryGetProperty("load", out _)), Wait);
        var instances = Instances(full).ToList();
        var natives = dashboard.Cluster.Servers.Select(s => s.Native).Order(StringComparer.Ordinal);
        Assert.Equal(natives, instances.Select(i => i.GetProperty("address").GetString()).Order(StringComparer.Ordinal));
        Assert.All(instances, i => Assert.InRange(i.GetProperty("load").GetProperty("cpu").GetDouble(), 0, 1));
        Assert.All(instances, i => Assert.True(i.GetProperty("load").GetProperty("sequence").GetInt64() >= 1));
        Assert.Equal(3, full.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "joined"));

        var (stopped, stoppedNative) = dashboard.Cluster.Servers[1];
        stopped.Terminate();
        Assert.Equal(0, await stopped.WaitForExitAsync(Wait));

        var after = await DashboardEventStream.WaitForAsync(dashboard.Url, s => DashboardEventStream.InstanceIds(s, Greeter).Count == 2, Wait);
        Assert.DoesNotContain(stoppedNative, Instances(after).Select(i => i.GetProperty("address").GetString()));
        var left = Assert.Single(after.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "left");
        Assert.Contains(Greeter, left.GetProperty("services").GetString(), StringComparison.Ordinal);
        Assert.False(dashboard.Dashboard.HasExited, dashboard.Dashboard.Error);
    }

    [Fact]
    public async Task RegistryNotAnAddress_ExitsTwoWithOneLine()
    {
        var (exitCode, output, error) = await CliProcess.RunAsync(Wait, null, "dashboard", "--registry", "etcd://127.0.0.1:2379", "--port", "0");

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith("shoal: --registry 'etcd://127.0.0.1:2379' is not an embedded registry address", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryUnreachable_KeepsServingAndSaysWhy()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var dashboard = CliProcess.Start("dashboard", "--registry", $"registry://127.0.0.1:{port}", "--port", "0");
        var url = new Uri((await dashboard.FirstLineAsync(Wait)).Trim()["dashboard: ".Length..]);

        var snapshot = await DashboardEventStream.WaitForAsync(url, s => s.TryGetProperty("registry_error", out _), Wait);

        Assert.StartsWith("Unavailable", snapshot.GetProperty("registry_error").GetString(), StringComparison.Ordinal);
        Assert.Empty(snapshot.GetProperty("services").EnumerateArray());
        Assert.False(dashboard.HasExited, dashboard.Error);
    }

    private static IEnumerable<JsonElement> Instances(JsonElement snapshot) =>
        snapshot.GetProperty("services").EnumerateArray()
            .Where(s => s.GetProperty("name").GetString() == Greeter)
            .SelectMany(s => s.GetProperty("instances").EnumerateArray());
}
