using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Shoal.Client;
using Shoal.Server;
using Shop.Orders;
using InventoryClient = Shop.Inventory.Inventory.InventoryClient;
using PaymentClient = Shop.Payment.Payment.PaymentClient;
using ShippingClient = Shop.Shipping.Shipping.ShippingClient;

// The Orders service: the saga. It calls Inventory, Payment and Shipping through cluster channels
// found in the same registry it registers in (--registry registry://host:port): every instance of
// each, balanced, with failover for the methods their contracts mark safe to retry. Orders are
// kept in a SQLite file (--db) shared by every Orders instance.
try
{
    var builder = WebApplication.CreateSlimBuilder(args);
    // A start-up failure (a refused registration, a port in use) ends with the one line below, not the host's stack trace.
    builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
    builder.Configuration.AddShoalCommandLine(args, new Dictionary<string, string> { ["--db"] = "Orders:Database" });
    var registry = builder.Configuration["Shoal:Server:Registry"];
    string Target(string service) => builder.Configuration[$"Orders:Targets:{service}"]
        ?? (string.IsNullOrEmpty(registry) ? throw new InvalidOperationException($"Orders needs --registry (or Orders:Targets:{service}) to find {service}.") : $"{registry}/{service}");

    var registryTokenFile = builder.Configuration["Shoal:Server:RegistryTokenFile"];
    void Channel(ShoalChannelOptions options)
    {
        // A SIGKILLed instance can fail many calls at once: let failover resend all of them.
        options.Cluster.RetryBudget.MinRetriesPerSecond = 200;
        // The token this instance registers with also lets it watch the registry for its peers.
        options.RegistryTokenFile = registryTokenFile;
    }
    builder.Services.AddShoalClient<InventoryClient>(Target("shop.inventory.Inventory"), Channel);
    builder.Services.AddShoalClient<PaymentClient>(Target("shop.payment.Payment"), Channel);
    builder.Services.AddShoalClient<ShippingClient>(Target("shop.shipping.Shipping"), Channel);
    builder.Services.AddSingleton(OrderBook.Open(builder.Configuration["Orders:Database"] ?? "orders.db"));
    builder.AddShoalServer().AddService<OrdersService>();

    var app = builder.Build();
    app.MapShoalServices();
    await app.StartAsync();
    Console.WriteLine($"Orders listening: {app.GetShoalAddresses()}");
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or IOException or FormatException or ArgumentException or SqliteException)
{
    await Console.Error.WriteLineAsync($"shop-orders: cannot run: {e.Message}");
    return 2;
}
