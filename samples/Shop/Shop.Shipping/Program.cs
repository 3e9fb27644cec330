using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Shoal.Server;
using Shop.Shipping;

// The Shipping service: a shipment per order (in a SQLite file, --db) and its tracking as a server
// stream of positions along a simulated route, with an alert when it falls behind its plan.
try
{
    var builder = WebApplication.CreateSlimBuilder(args);
    // A start-up failure (a refused registration, a port in use) ends with the one line below, not the host's stack trace.
    builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
    builder.Configuration.AddShoalCommandLine(args, new Dictionary<string, string> { ["--db"] = "Shipping:Database" });
    builder.Services.AddSingleton(ShipmentBook.Open(builder.Configuration["Shipping:Database"] ?? "shipping.db"));
    builder.AddShoalServer().AddService<ShippingService>();

    var app = builder.Build();
    app.MapShoalServices();
    await app.StartAsync();
    Console.WriteLine($"Shipping listening: {app.GetShoalAddresses()}");
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or IOException or FormatException or ArgumentException or SqliteException)
{
    await Console.Error.WriteLineAsync($"shop-shipping: cannot run: {e.Message}");
    return 2;
}
