using Shoal.Client;
using Shop.Inventory;
using Shop.Payment;

namespace Shoal.Deployment.Tests.Infrastructure;

/// <summary>
/// The shop's own queries after a load: the payment ledger's audit (approved charges, orders charged
/// twice) and each SKU's stock, reconciled with what the load saw sold, as <c>shoal demo --app shop</c> does.
/// </summary>
public sealed record ShopAudit(long Approved, long ChargedTwice, long LostUnits, long ReservedUnits, long SoldUnits)
{
    /// <summary>
    /// Reads the audit through a Payment target and the stock through an Inventory target; the
    /// inventory started with <paramref name="initialStock"/> of each SKU, and <paramref name="loads"/>
    /// are every order placed since.
    /// </summary>
    public static async Task<ShopAudit> ReadAsync(string payment, string inventory, long initialStock, params ShopLoad[] loads)
    {
        // Registry targets are watched with the loads' token.
        var options = new ShoalChannelOptions { RegistryTokenFile = loads.Select(l => l.RegistryTokenFile).FirstOrDefault(t => t is not null) };
        await using var paymentChannel = ShoalChannel.ForTarget(payment, options);
        await using var inventoryChannel = ShoalChannel.ForTarget(inventory, options);
        var ledger = await new Payment.PaymentClient(paymentChannel).AuditAsync(new AuditRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        var stock = new Inventory.InventoryClient(inventoryChannel);
        long lost = 0, reserved = 0, sold = 0;
        foreach (var sku in ShopLoad.Skus)
        {
            var units = loads.Sum(l => l.Sold[sku]);
            var level = await stock.GetStockAsync(new GetStockRequest { Sku = sku }, deadline: DateTime.UtcNow.AddSeconds(30));
            // Every unit is available or held by an order; the orders that hold units are the placed ones.
            lost += initialStock - level.Available - units;
            reserved += level.Reserved;
            sold += units;
        }
        return new ShopAudit(ledger.Approved, ledger.OrdersChargedTwice, lost, reserved, sold);
    }
}
