using Grpc.Core;
using Shop.Inventory;
using Shop.Orders;
using InventoryClient = Shop.Inventory.Inventory.InventoryClient;

namespace Shoal.FunctionalTests.TraceHost;

/// <summary>Orders-like: PlaceOrder reserves the stock through the Inventory channel, passing nothing by hand (the deadline and trace flow).</summary>
internal sealed class TraceOrders(InventoryClient inventory) : Orders.OrdersBase
{
    public override async Task<Order> PlaceOrder(PlaceOrderRequest request, ServerCallContext context)
    {
        var reservation = new ReserveRequest { OrderId = request.OrderId };
        reservation.Lines.AddRange(request.Lines.Select(l => new StockLine { Sku = l.Sku, Quantity = l.Quantity }));
        var reserved = await inventory.ReserveAsync(reservation);
        return new Order
        {
            OrderId = request.OrderId,
            Lines = { request.Lines },
            Status = reserved.Reserved ? OrderStatus.Placed : OrderStatus.OutOfStock,
        };
    }
}
