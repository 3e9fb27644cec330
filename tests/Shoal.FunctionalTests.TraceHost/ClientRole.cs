using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Shoal.Client;
using Shoal.OpenTelemetry;
using Shop.Orders;
using OrdersClient = Shop.Orders.Orders.OrdersClient;

namespace Shoal.FunctionalTests.TraceHost;

/// <summary>
/// The client: each order is placed under a root span of its own (source <see cref="SourceName"/>),
/// whose trace id it prints, so the test can find every span the order caused in every process.
/// </summary>
internal static class ClientRole
{
    public const string SourceName = "Shoal.FunctionalTests.TraceHost";
    private static readonly ActivitySource Source = new(SourceName);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);
    private const int MaxCallsAtOnce = 64;

    public static async Task<int> RunAsync(HostArgs args)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddShoalTelemetry().WithTracing(t => t.AddSource(SourceName));
        builder.Services.AddShoalClient<OrdersClient>(args.Required("--orders"));
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<OrdersClient>();
        Console.WriteLine("client ready");

        var placed = 0;
        while (await Console.In.ReadLineAsync() is { } line && line != "quit")
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is not ["call", var countText] || !int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > MaxCallsAtOnce)
            {
                await Console.Error.WriteLineAsync($"trace-host: expected 'call N' (N from 1 to {MaxCallsAtOnce}) or 'quit', got '{line}'.");
                continue;
            }
            var calls = new Task[count];
            for (var i = 0; i < count; i++)
            {
                calls[i] = PlaceAsync(client, $"order-{++placed}");
            }
            await Task.WhenAll(calls);
        }
        await host.StopAsync();
        return 0;
    }

    private static async Task PlaceAsync(OrdersClient client, string orderId)
    {
        // A root span: no span is current on the stdin loop, and each order gets a trace of its own.
        Activity.Current = null;
        using var root = Source.StartActivity("place " + orderId, ActivityKind.Internal);
        var trace = root?.TraceId.ToHexString() ?? "unsampled";
        string status;
        try
        {
            var request = new PlaceOrderRequest { OrderId = orderId, Card = "4242", Destination = "test" };
            request.Lines.Add(new OrderLine { Sku = "sku-1", Quantity = 1, UnitPriceCents = 100 });
            await client.PlaceOrderAsync(request, deadline: DateTime.UtcNow + CallTimeout);
            status = "OK";
        }
        catch (RpcException e)
        {
            root?.SetStatus(ActivityStatusCode.Error, e.Status.Detail);
            status = e.StatusCode.ToString();
        }
        Console.WriteLine($"call {orderId} {trace} {status}");
    }
}
