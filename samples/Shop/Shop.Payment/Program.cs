using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Shoal.Server;
using Shop.Payment;

// The Payment service. Charges are recorded in one SQLite file (--db) that every instance shares,
// keyed by the caller's idempotency key: a charge retried on another instance, after a crash or a
// drain, finds the first one's result instead of charging the card again.
try
{
    var builder = WebApplication.CreateSlimBuilder(args);
    // A start-up failure (a refused registration, a port in use) ends with the one line below, not the host's stack trace.
    builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
    builder.Configuration.AddShoalCommandLine(args, new Dictionary<string, string> { ["--db"] = "Payment:Database" });
    builder.Services.AddSingleton(ChargeLedger.Open(builder.Configuration["Payment:Database"] ?? "payment.db"));
    builder.AddShoalServer().AddService<PaymentService>();

    var app = builder.Build();
    app.MapShoalServices();
    await app.StartAsync();
    Console.WriteLine($"Payment listening: {app.GetShoalAddresses()}");
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or IOException or FormatException or ArgumentException or SqliteException)
{
    await Console.Error.WriteLineAsync($"shop-payment: cannot run: {e.Message}");
    return 2;
}
