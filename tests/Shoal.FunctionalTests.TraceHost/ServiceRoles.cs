using Shoal.Client;
using Shoal.OpenTelemetry;
using Shoal.Server;
using InventoryClient = Shop.Inventory.Inventory.InventoryClient;

namespace Shoal.FunctionalTests.TraceHost;

/// <summary>The two server roles: Inventory-like and Orders-like, native transport only, on a free loopback port.</summary>
internal static class ServiceRoles
{
    public static async Task<int> RunInventoryAsync(HostArgs args)
    {
        var builder = CreateBuilder();
        var delay = new ReserveDelay(TimeSpan.FromMilliseconds(args.Number("--delay-ms", 0)));
        builder.Services.AddSingleton(delay);
        AddServer(builder).AddService<TraceInventory>();
        // Console.In reads synchronously whatever the method's name: a thread of its own.
        _ = Task.Run(delay.ReadCommandsAsync);
        return await RunAsync(builder, "inventory");
    }

    public static async Task<int> RunOrdersAsync(HostArgs args)
    {
        var builder = CreateBuilder();
        // Reserve is IDEMPOTENT in its contract: the cluster channel fails it over to another instance.
        builder.Services.AddShoalClient<InventoryClient>(args.Required("--inventory"));
        AddServer(builder).AddService<TraceOrders>();
        return await RunAsync(builder, "orders");
    }

    private static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddShoalTelemetry();
        return builder;
    }

    private static IShoalServerBuilder AddServer(WebApplicationBuilder builder) => builder.AddShoalServer(o =>
    {
        o.Host = "127.0.0.1";
        o.TcpPort = 0;
        o.GrpcPort = -1;
        o.ShutdownGracePeriod = TimeSpan.FromSeconds(2);
    });

    private static async Task<int> RunAsync(WebApplicationBuilder builder, string role)
    {
        var app = builder.Build();
        app.MapShoalServices();
        await app.StartAsync();
        Console.WriteLine($"{role} listening: {app.GetShoalAddresses().Native}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
