using System.Diagnostics;
using Grpc.Core;
using Shoal.Client.Cluster;
using Shoal.Shop.Tests.Support;
using Shop.Inventory;
using Shop.Orders;
using Shop.Payment;
using Shop.Shipping;

namespace Shoal.Shop.Tests;

/// <summary>
/// The shop's services as real processes behind a members-only embedded registry (they register and
/// find each other with its token), called through cluster channels. Each test uses its own SKU and
/// order ids, so they share one rig (and its start-up).
/// </summary>
public sealed class ShopSampleTests(ShopRig shop) : IClassFixture<ShopRig>
{
    private const string ApprovedCard = "4242-4242-4242-4242";
    private const string DeclinedCard = "4000-0000-0000-" + "0002";

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);

    [Fact]
    public async Task PlaceOrder_ThroughTheClusterChannel_ReservesChargesAndShipsEachOrder()
    {
        var before = await StockAsync("sku-001");
        var audit = await shop.Payment.AuditAsync(new AuditRequest(), deadline: Deadline());
        var ids = Enumerable.Range(1, 12).Select(i => $"placed-{i}").ToList();

        var orders = await Task.WhenAll(ids.Select(id => shop.Orders.PlaceOrderAsync(Request(id, "sku-001", 2, ApprovedCard), deadline: Deadline()).ResponseAsync));

        Assert.All(orders, o => Assert.Equal(OrderStatus.Placed, o.Status));
        Assert.All(orders, o => Assert.StartsWith("trk-", o.TrackingId, StringComparison.Ordinal));
        Assert.All(orders, o => Assert.Equal(2 * 1250, o.AmountCents));
        var fetched = await shop.Orders.GetOrderAsync(new GetOrderRequest { OrderId = ids[0] }, deadline: Deadline());
        Assert.Equal(orders[0], fetched);
        var after = await StockAsync("sku-001");
        Assert.Equal(before.Available - 24, after.Available);
        Assert.Equal(before.Reserved + 24, after.Reserved);
        var audited = await shop.Payment.AuditAsync(new AuditRequest(), deadline: Deadline());
        Assert.Equal(audit.Approved + 12, audited.Approved);
        Assert.Equal(0, audited.OrdersChargedTwice);
    }

    [Fact]
    public async Task ServiceWithoutTheToken_ExitsWithOneClearLineAndIsNeverRegistered()
    {
        var stranger = shop.StartWithoutToken("Shipping");

        var exitCode = await stranger.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.True(exitCode != 0, stranger.Output);
        var line = Assert.Single(stranger.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("shop-shipping: cannot run: ", line, StringComparison.Ordinal);
        Assert.Contains("Unauthenticated", line, StringComparison.Ordinal);
        Assert.Contains("requires a token", line, StringComparison.Ordinal);
        // Only the member Shipping instance is in the registry.
        var shipping = (ClusterCallInvoker)shop.Cluster("shop.shipping.Shipping").ClusterInvoker!;
        var clock = Stopwatch.StartNew();
        while (shipping.Snapshot.All.Length == 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }
        Assert.Single(shipping.Snapshot.All);
    }

    [Fact]
    public async Task PlaceOrder_CardDeclined_ReleasesTheReservationAndChargesNothing()
    {
        var before = await StockAsync("sku-002");

        var order = await shop.Orders.PlaceOrderAsync(Request("declined-1", "sku-002", 5, DeclinedCard), deadline: Deadline());

        Assert.Equal(OrderStatus.PaymentDeclined, order.Status);
        Assert.Contains("declined", order.Reason, StringComparison.Ordinal);
        Assert.Equal(string.Empty, order.TrackingId);
        Assert.Equal(before, await StockAsync("sku-002"));
        // The saga's steps are keyed by the order id: placing it again changes nothing either.
        var again = await shop.Orders.PlaceOrderAsync(Request("declined-1", "sku-002", 5, DeclinedCard), deadline: Deadline());
        Assert.Equal(order, again);
        Assert.Equal(before, await StockAsync("sku-002"));
    }

    [Fact]
    public async Task Charge_RetriedWithTheSameKeyOnAnotherInstance_IsChargedOnce()
    {
        var first = new Payment.PaymentClient(shop.Direct(shop.PaymentAddresses[0]));
        var second = new Payment.PaymentClient(shop.Direct(shop.PaymentAddresses[1]));
        var charge = new ChargeRequest { IdempotencyKey = "retry-key-1", OrderId = "retry-order-1", AmountCents = 999, Card = ApprovedCard };
        var audit = await shop.Payment.AuditAsync(new AuditRequest(), deadline: Deadline());

        var original = await first.ChargeAsync(charge, deadline: Deadline());
        var retried = await second.ChargeAsync(charge, deadline: Deadline());
        var retriedAgain = await first.ChargeAsync(charge, deadline: Deadline());

        Assert.Equal(ChargeStatus.Approved, original.Status);
        Assert.False(original.Replayed);
        Assert.True(retried.Replayed);
        Assert.Equal(original.ChargeId, retried.ChargeId);
        Assert.Equal(original.ChargeId, retriedAgain.ChargeId);
        var audited = await shop.Payment.AuditAsync(new AuditRequest(), deadline: Deadline());
        Assert.Equal(audit.Charges + 1, audited.Charges);
        Assert.Equal(audit.ApprovedCents + 999, audited.ApprovedCents);
        var misuse = await Assert.ThrowsAsync<RpcException>(() => second.ChargeAsync(new ChargeRequest(charge) { AmountCents = 1 }, deadline: Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, misuse.StatusCode);
    }

    [Fact]
    public async Task Charge_WithoutAnIdempotencyKey_IsRefusedAndTheServiceGoesOn()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => shop.Payment.ChargeAsync(
            new ChargeRequest { OrderId = "no-key", AmountCents = 5, Card = ApprovedCard }, deadline: Deadline()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("idempotency_key", e.Status.Detail, StringComparison.Ordinal);
        Assert.True((await shop.Payment.AuditAsync(new AuditRequest(), deadline: Deadline())).Charges >= 0);
    }

    [Fact]
    public async Task WatchStock_WhileOrdersArePlaced_StreamsEachChange()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var before = await StockAsync("sku-003");
        using var watch = shop.Inventory.WatchStock(new WatchStockRequest { Sku = "sku-003" }, deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cancel.Token);
        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal(before, watch.ResponseStream.Current);

        var seen = new List<long>();
        for (var i = 1; i <= 3; i++)
        {
            var order = await shop.Orders.PlaceOrderAsync(Request($"watched-{i}", "sku-003", 3, ApprovedCard), deadline: Deadline());
            Assert.Equal(OrderStatus.Placed, order.Status);
            // Each order is placed after the previous change was seen, so every change shows.
            Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));
            seen.Add(watch.ResponseStream.Current.Available);
        }

        Assert.Equal([before.Available - 3, before.Available - 6, before.Available - 9], seen);
    }

    [Fact]
    public async Task Track_AShippedOrder_StreamsEveryLegThenDelivery()
    {
        var order = await shop.Orders.PlaceOrderAsync(Request("tracked-1", "sku-004", 1, ApprovedCard), deadline: Deadline());

        var updates = await TrackAsync(order.TrackingId);

        Assert.Equal(Enumerable.Range(0, 9), updates.Select(u => u.Leg));
        Assert.All(updates, u => Assert.Equal(8, u.Legs));
        Assert.True(updates[^1].Delivered);
        Assert.All(updates.SkipLast(1), u => Assert.False(u.Delivered));
        Assert.Equal(8, updates.Select(u => (u.Latitude, u.Longitude)).Skip(1).Distinct().Count());
        Assert.True(updates.Zip(updates.Skip(1)).All(p => p.Second.MinutesLate >= p.First.MinutesLate));
    }

    [Fact]
    public async Task Track_ShipmentsThatFallBehind_RaiseDelayAlertsPastThirtyMinutes()
    {
        var alerts = new List<TrackingUpdate>();
        for (var i = 1; i <= 6; i++)
        {
            var shipment = await shop.Shipping.CreateShipmentAsync(new CreateShipmentRequest { OrderId = $"alert-{i}", Destination = "Lyon" }, deadline: Deadline());
            alerts.AddRange((await TrackAsync(shipment.TrackingId)).Where(u => u.Alert is not null));
        }

        Assert.NotEmpty(alerts);
        Assert.All(alerts, a => Assert.True(a.Alert.MinutesLate > 30 && a.Alert.MinutesLate == a.MinutesLate));
        Assert.All(alerts, a => Assert.False(string.IsNullOrEmpty(a.Alert.Reason)));
    }

    [Fact]
    public async Task Track_UnknownShipment_FailsWithNotFound()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => TrackAsync("trk-none"));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }

    private async Task<List<TrackingUpdate>> TrackAsync(string trackingId)
    {
        using var track = shop.Shipping.Track(new TrackRequest { TrackingId = trackingId, IntervalMs = 10 }, deadline: Deadline());
        var updates = new List<TrackingUpdate>();
        while (await track.ResponseStream.MoveNext(CancellationToken.None) && updates.Count < 100)
        {
            updates.Add(track.ResponseStream.Current);
        }
        return updates;
    }

    private async Task<StockLevel> StockAsync(string sku) => await shop.Inventory.GetStockAsync(new GetStockRequest { Sku = sku }, deadline: Deadline());

    private static PlaceOrderRequest Request(string orderId, string sku, int quantity, string card) => new()
    {
        OrderId = orderId,
        Customer = "ann",
        Card = card,
        Destination = "Lyon",
        Lines = { new OrderLine { Sku = sku, Quantity = quantity, UnitPriceCents = 1250 } },
    };
}
