using Grpc.Core;
using Shop.Inventory;

namespace Shoal.FunctionalTests.TraceHost;

/// <summary>Inventory-like: Reserve says on stdout that it started (the test kills a holding instance on that line), waits, and reserves.</summary>
internal sealed class TraceInventory(ReserveDelay delay) : Inventory.InventoryBase
{
    public override async Task<ReserveReply> Reserve(ReserveRequest request, ServerCallContext context)
    {
        Console.WriteLine($"reserve {request.OrderId}");
        await Task.Delay(delay.Holding ? Timeout.InfiniteTimeSpan : delay.Value, context.CancellationToken);
        return new ReserveReply { Reserved = true };
    }
}
