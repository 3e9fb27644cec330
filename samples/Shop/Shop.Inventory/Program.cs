using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Shoal.Server;
using Shop.Inventory;

// The Inventory service. Its stock lives in one SQLite file (--db) that every instance shares, so
// the autoscaler can add and remove instances freely and a killed one loses nothing. --capacity N
// lets one instance serve at most N calls/s (a fixed service time per call, not CPU): that makes it
// the shop's hot service, the one that needs more instances as the load rises, on any machine.
try
{
    var builder = WebApplication.CreateSlimBuilder(args);
    // A start-up failure (a refused registration, a port in use) ends with the one line below, not the host's stack trace.
    builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
    builder.Configuration.AddShoalCommandLine(args, new Dictionary<string, string>
    {
        ["--db"] = "Inventory:Database",
        ["--capacity"] = "Inventory:Capacity",
        ["--skus"] = "Inventory:Skus",
        ["--initial-stock"] = "Inventory:InitialStock",
    });
    var config = builder.Configuration.GetSection("Inventory");
    var store = StockStore.Open(config["Database"] ?? "inventory.db", config.GetValue("Skus", 10), config.GetValue("InitialStock", 100_000L));
    builder.Services.AddSingleton(store);
    var server = builder.AddShoalServer();
    var capacity = config.GetValue("Capacity", 0.0);
    if (capacity > 0)
    {
        builder.Services.AddSingleton(new CapacityLimit(capacity));
        server.AddInterceptor<CapacityLimit>();
    }
    server.AddService<InventoryService>();

    var app = builder.Build();
    app.MapShoalServices();
    await app.StartAsync();
    Console.WriteLine($"Inventory listening: {app.GetShoalAddresses()}");
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or IOException or FormatException or ArgumentException or SqliteException)
{
    await Console.Error.WriteLineAsync($"shop-inventory: cannot run: {e.Message}");
    return 2;
}
