using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Shoal.Client;
using Shoal.Deployment.Tests.Infrastructure;
using Shoal.Tests.Containers;
using Shop.Inventory;
using Xunit.Abstractions;

namespace Shoal.Deployment.Tests.Pods;

/// <summary>
/// The shop in a podman pod: the embedded registry, Inventory x2, Payment x2, Orders and Shipping,
/// each a container of the shop image, the services of each kind sharing one SQLite file on a
/// podman volume. The test process places orders through Orders' published port while one Inventory
/// container is killed (3 s into 8 s of orders), then reconciles the ledger and the stock with the shop's own queries.
/// </summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Containers")]
public sealed class ShopPodTests(DeploymentImages images, ITestOutputHelper output)
{
    private const long InitialStock = 100_000;
    private const int OrdersPort = 7200;
    private const int RegistryPort = 7070;
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan LoadTime = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(3);

    /// <summary>Each container: a name, the program and its own native port (the pod shares one network namespace).</summary>
    private static readonly (string Name, string Program, int Port)[] Services =
    [
        ("inventory-1", "inventory", 7210),
        ("inventory-2", "inventory", 7211),
        ("payment-1", "payment", 7220),
        ("payment-2", "payment", 7221),
        ("shipping-1", "shipping", 7230),
        ("orders-1", "orders", OrdersPort),
    ];

    [Fact]
    public async Task ShopInAPod_OneInventoryKilledUnderOrders_NoOrderFailsNoDoubleChargeAndStockIsConserved()
    {
        await images.RequireAsync();
        var clock = Stopwatch.StartNew();
        var pod = Podman.UniqueName("shoal-shop");
        var data = $"{pod}-data";
        try
        {
            // Only Orders, one Inventory and one Payment reach the host (on 127.0.0.1): the load and the audit.
            await Podman.RunAsync("pod", "create", "--name", pod,
                "-p", $"127.0.0.1::{OrdersPort}", "-p", "127.0.0.1::7210", "-p", "127.0.0.1::7220");
            await Podman.RunAsync("volume", "create", data);
            await Podman.RunAsync("run", "-d", "--pod", pod, "--name", $"{pod}-registry", images.Image("shoal"),
                "registry", "--host", "127.0.0.1", "--port", $"{RegistryPort}");
            // The services start together: each one registers (and Orders finds the others) whenever it is ready.
            await Task.WhenAll(Services.Select(service => StartAsync(pod, data, service.Name, service.Program, service.Port)));
            foreach (var (name, _, _) in Services)
            {
                await Eventually.UntilAsync($"{name} listening", StartLimit, async () =>
                    (await Podman.TryRunAsync("logs", $"{pod}-{name}")).Output.Contains("listening:", StringComparison.Ordinal));
            }
            var orders = $"shoal://{await HostPortAsync(pod, OrdersPort)}";
            // The first order needs Orders to have found Inventory, Payment and Shipping in the registry.
            var first = new ShopLoad();
            await Eventually.UntilAsync("a first order placed", StartLimit, async () =>
            {
                await first.PlaceAsync(orders, 1);
                return first.Placed + first.Declined > 0;
            });
            output.WriteLine($"shop up after {clock.Elapsed.TotalSeconds:F1} s");

            var load = new ShopLoad();
            var running = load.RunAsync(orders, callers: 8, LoadTime);
            await Task.Delay(KillAfter);
            Assert.False(running.IsCompleted, "the load ended before the kill");
            await Podman.RunAsync("kill", "--signal", "KILL", $"{pod}-inventory-2");
            await running;
            output.WriteLine($"orders: {load}");

            var audit = await ShopAudit.ReadAsync($"shoal://{await HostPortAsync(pod, 7220)}", $"shoal://{await HostPortAsync(pod, 7210)}", InitialStock, first, load);
            output.WriteLine($"audit: {audit}");
            Assert.Equal(0, load.Failed);
            Assert.True(load.Placed > 20, $"too few orders to mean anything: {load}");
            Assert.Equal(0, audit.ChargedTwice);
            Assert.Equal(load.Placed + first.Placed, audit.Approved);
            Assert.Equal(0, audit.LostUnits);
            Assert.Equal(audit.SoldUnits, audit.ReservedUnits);
            var killed = await Podman.InspectAsync($"{pod}-inventory-2", ".State");
            Assert.Equal(137, killed.GetProperty("ExitCode").GetInt32());
            // The survivor serves the stock alone.
            await using var channel = ShoalChannel.ForTarget($"shoal://{await HostPortAsync(pod, 7210)}");
            var level = await new Inventory.InventoryClient(channel).GetStockAsync(new GetStockRequest { Sku = ShopLoad.Skus[0] }, deadline: DateTime.UtcNow.AddSeconds(10));
            Assert.Equal(InitialStock, level.Available + level.Reserved);
        }
        catch (RpcException e)
        {
            await DumpLogsAsync(pod);
            Assert.Fail($"a call failed: {e.StatusCode}: {e.Status.Detail}");
        }
        finally
        {
            await Podman.TryRunAsync("pod", "rm", "--force", "--time", "5", pod);
            await Podman.TryRunAsync("volume", "rm", "--force", data);
            var left = await Podman.TryRunAsync("ps", "--all", "--quiet", "--filter", $"name={pod}");
            var volumes = await Podman.TryRunAsync("volume", "ls", "--quiet", "--filter", $"name={pod}");
            Assert.True(left.Output.Trim().Length == 0 && volumes.Output.Trim().Length == 0, $"{pod} left containers or volumes: {left.Output} {volumes.Output}");
            output.WriteLine($"shop pod test: {clock.Elapsed.TotalSeconds:F1} s, cleaned up");
        }
    }

    private Task<string> StartAsync(string pod, string data, string name, string program, int port)
    {
        string[] extra = program == "inventory" ? ["--initial-stock", InitialStock.ToString(CultureInfo.InvariantCulture)] : [];
        return Podman.RunAsync(["run", "-d", "--pod", pod, "--name", $"{pod}-{name}", "-v", $"{data}:/data",
            "-e", "Logging__LogLevel__Default=Warning", images.Image("shop"), program,
            "--tcp-port", $"{port}", "--grpc-port", "-1", "--registry", $"registry://127.0.0.1:{RegistryPort}",
            "--instance-id", name, "--db", $"/data/{program}.db", .. extra]);
    }

    private async Task DumpLogsAsync(string pod)
    {
        foreach (var (name, _, _) in Services)
        {
            var logs = await Podman.TryRunAsync("logs", "--tail", "20", $"{pod}-{name}");
            output.WriteLine($"--- {name}:\n{logs.Output}{logs.Error}");
        }
    }

    private static async Task<string> HostPortAsync(string pod, int containerPort)
    {
        var infra = await Podman.RunAsync("pod", "inspect", "--format", "{{.InfraContainerID}}", pod);
        var mapping = await Podman.RunAsync("port", infra, $"{containerPort}/tcp");
        Assert.StartsWith("127.0.0.1:", mapping, StringComparison.Ordinal);
        return mapping.Split('\n')[0].Trim();
    }
}
