using System.Diagnostics;
using System.Text.RegularExpressions;
using Shoal.Client.Cluster;
using Shoal.FunctionalTests.Support;
using Shoal.Client;
using Shop.Inventory;
using Shop.Orders;
using Shop.Payment;
using Shop.Shipping;

namespace Shoal.Shop.Tests.Support;

/// <summary>
/// The shop as real processes: a members-only embedded registry in the test process (it requires the
/// token in <see cref="TokenFile"/>), then two Inventory, two Payment, one Shipping and one Orders
/// instance (each its own program, each registered with the token; Orders also finds the others with
/// it), their SQLite files in a fresh directory, and a cluster channel to each service. Shared by a test class.
/// </summary>
public sealed partial class ShopRig : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly List<ChildProcess> _processes = [];
    private readonly List<ShoalChannel> _channels = [];
    private readonly string _data = Path.Combine(Path.GetTempPath(), "shoal-shop-tests-" + Guid.NewGuid().ToString("N")[..8]);
    private InProcessRegistry? _registry;

    /// <summary>The registry members' token file, in the rig's directory.</summary>
    public string TokenFile => Path.Combine(_data, "registry.token");

    /// <summary>The registry's address (<c>registry://127.0.0.1:port</c>).</summary>
    public string RegistryAddress => _registry!.Address;

    /// <summary>Units of each SKU a new inventory starts with.</summary>
    public const long InitialStock = 10_000;

    public Orders.OrdersClient Orders { get; private set; } = null!;

    public Inventory.InventoryClient Inventory { get; private set; } = null!;

    public Payment.PaymentClient Payment { get; private set; } = null!;

    public Shipping.ShippingClient Shipping { get; private set; } = null!;

    /// <summary>The native address of each Payment instance (to call one of them directly).</summary>
    public List<string> PaymentAddresses { get; } = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_data);
        await File.WriteAllTextAsync(TokenFile, "shop-members-token-" + Guid.NewGuid().ToString("N") + "\n");
        _registry = await InProcessRegistry.StartAsync(TokenFile);
        var starting = new List<Task<Match>>
        {
            Start("Inventory", "--initial-stock", InitialStock.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Start("Inventory", "--initial-stock", InitialStock.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Start("Payment"),
            Start("Payment"),
            Start("Shipping"),
            Start("Orders"),
        };
        var lines = await Task.WhenAll(starting);
        PaymentAddresses.AddRange(lines.Where(m => m.Groups["service"].Value == "Payment").Select(m => m.Groups["native"].Value));

        Orders = new Orders.OrdersClient(await ConnectAsync("shop.orders.Orders", 1));
        Inventory = new Inventory.InventoryClient(await ConnectAsync("shop.inventory.Inventory", 2));
        Payment = new Payment.PaymentClient(await ConnectAsync("shop.payment.Payment", 2));
        Shipping = new Shipping.ShippingClient(await ConnectAsync("shop.shipping.Shipping", 1));
    }

    /// <summary>A channel straight to one address (<c>shoal://host:port</c>), closed with the rig.</summary>
    public ShoalChannel Direct(string address)
    {
        var channel = ShoalChannel.ForTarget(address);
        _channels.Add(channel);
        return channel;
    }

    public async Task DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            await channel.DisposeAsync();
        }
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process: the temp directory is cleaned by the OS.
        }
    }

    /// <summary>
    /// Starts one more instance of <paramref name="service"/> against the rig's registry and database
    /// without the token (a stranger), stopped with the rig.
    /// </summary>
    public ChildProcess StartWithoutToken(string service)
    {
        var process = ChildProcess.StartDotnet(service.ToLowerInvariant() + "-stranger", ShopBinaries.Of(service),
        [
            "--registry", _registry!.Address, "--tcp-port", "0", "--grpc-port", "-1",
            "--db", Path.Combine(_data, service.ToLowerInvariant() + ".db"),
        ]);
        _processes.Add(process);
        return process;
    }

    /// <summary>A cluster channel to <paramref name="service"/> through the registry, with the token, closed with the rig.</summary>
    public ShoalChannel Cluster(string service)
    {
        var channel = ShoalChannel.ForTarget($"{_registry!.Address}/{service}", new ShoalChannelOptions { RegistryTokenFile = TokenFile });
        _channels.Add(channel);
        return channel;
    }

    private Task<Match> Start(string service, params string[] extra)
    {
        var process = ChildProcess.StartDotnet(service.ToLowerInvariant(), ShopBinaries.Of(service),
        [
            "--registry", _registry!.Address, "--registry-token-file", TokenFile, "--tcp-port", "0", "--grpc-port", "-1",
            "--db", Path.Combine(_data, service.ToLowerInvariant() + ".db"), .. extra,
        ]);
        _processes.Add(process);
        return process.WaitForLineAsync(ListeningLine(), StartTimeout);
    }

    private async Task<ShoalChannel> ConnectAsync(string service, int instances)
    {
        var channel = Cluster(service);
        var cluster = (ClusterCallInvoker)channel.ClusterInvoker!;
        var clock = Stopwatch.StartNew();
        while (cluster.Snapshot.All.Length < instances)
        {
            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"{service}: {cluster.Snapshot.All.Length} of {instances} instances registered after {StartTimeout.TotalSeconds:0} s.");
            }
            await Task.Delay(50);
        }
        return channel;
    }

    [GeneratedRegex(@"^(?<service>\w+) listening: native (?<native>shoal://[\d.]+:\d+)")]
    private static partial Regex ListeningLine();
}
