using Grpc.Core;
using Shop.Inventory;
using Shop.Payment;
using Shop.Shipping;
using InventoryClient = Shop.Inventory.Inventory.InventoryClient;
using PaymentClient = Shop.Payment.Payment.PaymentClient;
using ShippingClient = Shop.Shipping.Shipping.ShippingClient;

namespace Shop.Orders;

/// <summary>
/// PlaceOrder as a saga: reserve the stock, charge the card, create the shipment. When the card
/// is declined the reservation is released (the compensation). Every step is keyed by the order
/// id, so the whole saga can run again after any failure and finish where the first run stopped.
/// </summary>
public sealed class OrdersService(OrderBook book, InventoryClient inventory, PaymentClient payment, ShippingClient shipping, ILogger<OrdersService> logger)
    : Orders.OrdersBase
{
    private const int ChargeAttempts = 4;
    private static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(30);

    public override async Task<Order> PlaceOrder(PlaceOrderRequest request, ServerCallContext context)
    {
        Validate(request);
        if (book.Find(request.OrderId) is { } known)
        {
            return known;
        }
        // The caller's deadline bounds every downstream call (and one is set when the caller set none).
        var deadline = context.Deadline == DateTime.MaxValue ? DateTime.UtcNow + DefaultBudget : context.Deadline;
        var cancel = context.CancellationToken;
        var order = new Order { OrderId = request.OrderId, Lines = { request.Lines }, AmountCents = request.Lines.Sum(l => l.Quantity * l.UnitPriceCents) };

        var reservation = new ReserveRequest { OrderId = request.OrderId };
        reservation.Lines.AddRange(request.Lines.Select(l => new StockLine { Sku = l.Sku, Quantity = l.Quantity }));
        var reserved = await inventory.ReserveAsync(reservation, deadline: deadline, cancellationToken: cancel);
        if (!reserved.Reserved)
        {
            order.Status = OrderStatus.OutOfStock;
            order.Reason = reserved.Reason;
            return book.Save(order);
        }

        var charge = await ChargeAsync(new ChargeRequest
        {
            IdempotencyKey = "order/" + request.OrderId,
            OrderId = request.OrderId,
            AmountCents = order.AmountCents,
            Card = request.Card,
        }, deadline, cancel);
        order.ChargeId = charge.ChargeId;
        if (charge.Status != ChargeStatus.Approved)
        {
            await inventory.ReleaseAsync(new ReleaseRequest { OrderId = request.OrderId }, deadline: deadline, cancellationToken: cancel);
            OrdersLog.Compensated(logger, request.OrderId, charge.Reason);
            order.Status = OrderStatus.PaymentDeclined;
            order.Reason = charge.Reason;
            return book.Save(order);
        }

        var shipment = await shipping.CreateShipmentAsync(new CreateShipmentRequest { OrderId = request.OrderId, Destination = request.Destination },
            deadline: deadline, cancellationToken: cancel);
        order.TrackingId = shipment.TrackingId;
        order.Status = OrderStatus.Placed;
        return book.Save(order);
    }

    public override Task<Order> GetOrder(GetOrderRequest request, ServerCallContext context)
        => Task.FromResult(book.Find(request.OrderId) ?? throw new RpcException(new Status(StatusCode.NotFound, $"no order '{request.OrderId}'.")));

    /// <summary>
    /// Charge is not idempotent, so the cluster client does not resend it once it may have reached
    /// an instance. The idempotency key makes resending safe here: a charge that did happen is
    /// returned, not made again. A charge whose outcome stays unknown keeps the stock reserved and
    /// fails the call; PlaceOrder with the same order id finishes it later.
    /// </summary>
    private async Task<ChargeReply> ChargeAsync(ChargeRequest request, DateTime deadline, CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await payment.ChargeAsync(request, deadline: deadline, cancellationToken: cancel);
            }
            catch (RpcException e) when (attempt < ChargeAttempts && e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled
                                         && !cancel.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
                OrdersLog.ChargeRetried(logger, request.OrderId, attempt, e.StatusCode);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancel);
            }
        }
    }

    private static void Validate(PlaceOrderRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.OrderId) || request.OrderId.Length > 100)
        {
            throw Invalid("order_id must be 1-100 characters.");
        }
        if (request.Lines.Count is 0 or > 50 || request.Lines.Any(l => l.Quantity is < 1 or > 1000 || l.UnitPriceCents is < 1 or > 10_000_000))
        {
            throw Invalid("an order needs 1-50 lines, each of 1-1000 units at 1-10000000 cents.");
        }
        if (string.IsNullOrWhiteSpace(request.Card) || string.IsNullOrWhiteSpace(request.Destination))
        {
            throw Invalid("an order needs a card and a destination.");
        }
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}
