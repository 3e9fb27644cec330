using Shoal.FunctionalTests.TraceHost;

// One process of the three-process trace test. Every role exports its spans with AddShoalTelemetry(),
// configured only by the standard OpenTelemetry variables (OTEL_EXPORTER_OTLP_ENDPOINT,
// OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME, OTEL_BSP_SCHEDULE_DELAY).
//   inventory [--delay-ms N]   serves shop.inventory.Inventory on a free loopback port; prints
//                              "inventory listening: shoal://..." and "reserve <order id>" per call;
//                              "hold" on stdin holds every later call until it is cancelled
//   orders --inventory TARGET  serves shop.orders.Orders; PlaceOrder reserves through a channel to TARGET
//                              (static://a,b: a cluster channel); prints "orders listening: shoal://..."
//   client --orders TARGET     reads "call N" lines on stdin, places N orders at once, prints one
//                              "call <order id> <trace id> <status>" line per order; "quit" (or end of input) stops
// Bad arguments: one line on stderr, exit code 2.
try
{
    return args switch
    {
        ["inventory", .. var rest] => await ServiceRoles.RunInventoryAsync(HostArgs.Parse(rest, "--delay-ms")),
        ["orders", .. var rest] => await ServiceRoles.RunOrdersAsync(HostArgs.Parse(rest, "--inventory")),
        ["client", .. var rest] => await ClientRole.RunAsync(HostArgs.Parse(rest, "--orders")),
        _ => throw new FormatException("usage: trace-host inventory [--delay-ms N] | orders --inventory TARGET | client --orders TARGET"),
    };
}
catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
{
    await Console.Error.WriteLineAsync($"trace-host: {e.Message}");
    return 2;
}
