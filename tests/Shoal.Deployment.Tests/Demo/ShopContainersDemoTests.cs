using System.Diagnostics;
using System.Text.Json;
using Shoal.Deployment.Tests.Infrastructure;
using Shoal.Tests.Containers;
using Xunit.Abstractions;

namespace Shoal.Deployment.Tests.Demo;

/// <summary>
/// <c>shoal demo --app shop --containers</c> as a user runs it, shortened: the services as containers
/// of this run's shop image, Inventory scaled by the container actuator, one Inventory container
/// killed and one Payment container stopped midway, and nothing of the demo's left in podman after.
/// </summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Containers")]
public sealed class ShopContainersDemoTests(DeploymentImages images, ITestOutputHelper output)
{
    /// <summary>A bound on the whole demo: the load is 30 s; container starts and drains on a loaded 2-core machine take the rest.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(240);

    /// <summary>
    /// The demo's flags: a 30 s day at half the default capacity (half the orders: the machine is
    /// shared), and three Inventory instances at least, so that two serve while the killed one's
    /// container starts again (a container takes seconds to start; under a heavy load, tens).
    /// </summary>
    private static readonly string[] Flags = ["--duration", "30s", "--capacity", "15", "--min-replicas", "3", "--json"];

    [Fact]
    public async Task ShopDemoInContainers_KillAndStopMidway_NoOrderFailsTheKilledInventoryIsReplacedAndNothingIsLeft()
    {
        await images.RequireAsync();
        var clock = Stopwatch.StartNew();
        var demo = await CommandLine.RunAsync("dotnet",
            [ShoalDll, "demo", "--app", "shop", "--containers", "--image", images.Image("shop"), .. Flags], Limit, Podman.Environment);
        output.WriteLine($"demo: exit {demo.ExitCode} after {clock.Elapsed.TotalSeconds:F1} s\n{demo.Error}");

        var json = demo.Output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? "";
        Assert.True(demo.ExitCode == 0 && json.Length > 0, $"exit {demo.ExitCode}: {demo.Describe()}");
        using var document = JsonDocument.Parse(json);
        var report = document.RootElement;
        Assert.Equal("containers", report.GetProperty("runtime").GetString());
        Assert.True(report.GetProperty("orders").GetInt64() > 0, json);
        Assert.Equal(0, report.GetProperty("failed").GetInt64());
        Assert.Equal(0, report.GetProperty("double_charges").GetInt64());
        Assert.Equal(0, report.GetProperty("lost_stock").GetInt64());
        Assert.True(report.GetProperty("scale_outs").GetInt32() >= 1, $"no Inventory scale-out: {json}");

        // The killed Inventory container was replaced: restarted under its instance id, in another container.
        var killed = report.GetProperty("killed").GetString();
        Assert.False(string.IsNullOrEmpty(killed), json);
        var events = report.GetProperty("events").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "sigkill" && e.GetProperty("service").GetString() == "inventory");
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "restarted" && e.GetProperty("reason").GetString() == killed);
        var places = report.GetProperty("instances").EnumerateArray().Where(i => i.GetProperty("id").GetString() == killed).Select(i => i.GetProperty("where").GetString()).ToList();
        Assert.True(places.Count >= 2 && places.All(p => p!.StartsWith("container ", StringComparison.Ordinal)) && places.Distinct().Count() == places.Count,
            $"{killed} ran in {string.Join(", ", places)}: not replaced by another container");

        // Nothing the demo started is left: no container with its label, and it says so itself.
        var label = report.GetProperty("container_label").GetString();
        Assert.StartsWith("io.shoal.demo.run=", label, StringComparison.Ordinal);
        Assert.Empty(report.GetProperty("containers_left").EnumerateArray());
        var left = await Podman.RunAsync("ps", "--all", "--quiet", "--filter", $"label={label}");
        Assert.True(left.Length == 0, $"containers labelled {label} left: {left}");
        output.WriteLine($"shop containers demo test: {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task ShopDemoInContainers_ImageNotBuilt_ExitsWithOneLineSayingHowToBuildIt()
    {
        await Podman.RequireAsync();
        var image = $"localhost/shoal/shop:{Podman.UniqueName("missing")}";

        var demo = await CommandLine.RunAsync("dotnet", [ShoalDll, "demo", "--app", "shop", "--containers", "--image", image], TimeSpan.FromSeconds(90), Podman.Environment);

        Assert.Equal(2, demo.ExitCode);
        var line = Assert.Single(demo.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(image, line, StringComparison.Ordinal);
        Assert.Contains("deploy/build-images.sh --only shop", line, StringComparison.Ordinal);
    }

    /// <summary>src/Shoal.Cli's shoal.dll, built beside these tests (same configuration and target framework).</summary>
    private static string ShoalDll
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var dll = Repository.PathOf("src", "Shoal.Cli", "bin", tfm.Parent!.Name, tfm.Name, "shoal.dll");
            Assert.True(File.Exists(dll), $"{dll} is not built (the test project builds it: dotnet build tests/Shoal.Deployment.Tests)");
            return dll;
        }
    }
}
