using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Shoal.Client;
using Shop.Orders;

namespace Shoal.Deployment.Tests.Infrastructure;

/// <summary>
/// A closed-loop order load on the shop's Orders service from the test process: a few callers place
/// orders one after the other, about one in ten with a card the issuer declines, and every outcome
/// is counted, with the units of each placed order, so the stock and the ledger can be reconciled.
/// </summary>
public sealed class ShopLoad
{
    /// <summary>The SKUs the orders choose from (the first ones of a new inventory).</summary>
    public static readonly IReadOnlyList<string> Skus = ["sku-001", "sku-002", "sku-003", "sku-004"];

    private const string ApprovedCard = "4242-4242-4242-4242";
    private const string DeclinedCard = "4000-0000-0000-0002";
    private static readonly TimeSpan OrderTimeout = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly Dictionary<string, long> _sold = Skus.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _nextId;

    /// <summary>Orders placed: stock reserved, card charged, shipment created.</summary>
    public long Placed { get; private set; }

    /// <summary>Orders whose card was declined (their reservation released).</summary>
    public long Declined { get; private set; }

    /// <summary>Orders refused for want of stock.</summary>
    public long OutOfStock { get; private set; }

    /// <summary>Orders that ended in an error.</summary>
    public long Failed { get; private set; }

    /// <summary>The registry members' token file, for <c>registry://</c> targets; null for none.</summary>
    public string? RegistryTokenFile { get; init; }

    /// <summary>The first few failures, to say what went wrong.</summary>
    public List<string> FailureSamples { get; } = [];

    /// <summary>Units sold of each SKU by the placed orders.</summary>
    public IReadOnlyDictionary<string, long> Sold
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, long>(_sold, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>A one-line account of the outcomes.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"placed {Placed}, declined {Declined}, out of stock {OutOfStock}, failed {Failed}{(FailureSamples.Count > 0 ? ": " + string.Join("; ", FailureSamples) : "")}");

    /// <summary>Places orders through <paramref name="target"/> (a Shoal target) with <paramref name="callers"/> callers for <paramref name="duration"/>.</summary>
    public async Task RunAsync(string target, int callers, TimeSpan duration)
    {
        await using var channel = ShoalChannel.ForTarget(target, new ShoalChannelOptions { RegistryTokenFile = RegistryTokenFile });
        var orders = new Orders.OrdersClient(channel);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async caller =>
        {
            var random = new Random(caller);
            while (clock.Elapsed < duration)
            {
                await PlaceAsync(orders, random);
            }
        }));
    }

    /// <summary>Places <paramref name="count"/> orders one after the other through <paramref name="target"/>.</summary>
    public async Task PlaceAsync(string target, int count)
    {
        await using var channel = ShoalChannel.ForTarget(target, new ShoalChannelOptions { RegistryTokenFile = RegistryTokenFile });
        var orders = new Orders.OrdersClient(channel);
        var random = new Random(count);
        for (var i = 0; i < count; i++)
        {
            await PlaceAsync(orders, random);
        }
    }

    private async Task PlaceAsync(Orders.OrdersClient orders, Random random)
    {
        var sku = Skus[random.Next(Skus.Count)];
        var request = new PlaceOrderRequest
        {
            OrderId = $"test-{_run}-{Interlocked.Increment(ref _nextId)}",
            Customer = "fan-" + random.Next(1000).ToString(CultureInfo.InvariantCulture),
            Card = random.Next(10) == 0 ? DeclinedCard : ApprovedCard,
            Destination = "stadium-" + random.Next(10).ToString(CultureInfo.InvariantCulture),
            Lines = { new OrderLine { Sku = sku, Quantity = 1 + random.Next(3), UnitPriceCents = 2500 } },
        };
        try
        {
            var order = await orders.PlaceOrderAsync(request, deadline: DateTime.UtcNow + OrderTimeout);
            lock (_gate)
            {
                switch (order.Status)
                {
                    case OrderStatus.Placed:
                        Placed++;
                        _sold[sku] += request.Lines[0].Quantity;
                        break;
                    case OrderStatus.PaymentDeclined:
                        Declined++;
                        break;
                    default:
                        OutOfStock++;
                        break;
                }
            }
        }
        catch (RpcException e)
        {
            lock (_gate)
            {
                Failed++;
                if (FailureSamples.Count < 5)
                {
                    FailureSamples.Add($"{request.OrderId}: {e.StatusCode}: {e.Status.Detail}");
                }
            }
        }
    }
}
