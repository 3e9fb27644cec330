using Grpc.Core;

namespace Shop.Inventory;

/// <summary>The Inventory contract over the shared <see cref="StockStore"/>.</summary>
public sealed class InventoryService(StockStore store) : Inventory.InventoryBase
{
    private const int MaxQuantity = 1000;
    private static readonly TimeSpan WatchPoll = TimeSpan.FromMilliseconds(100);

    public override Task<ReserveReply> Reserve(ReserveRequest request, ServerCallContext context)
    {
        RequireOrderId(request.OrderId);
        if (request.Lines.Count == 0)
        {
            throw Invalid("an order needs at least one line.");
        }
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in request.Lines)
        {
            if (line.Quantity is < 1 or > MaxQuantity)
            {
                throw Invalid($"{line.Sku}: quantity must be 1-{MaxQuantity}.");
            }
            lines[line.Sku] = lines.GetValueOrDefault(line.Sku) + line.Quantity;
        }
        var (reserved, reason) = store.Reserve(request.OrderId, lines);
        return Task.FromResult(new ReserveReply { Reserved = reserved, Reason = reason });
    }

    public override Task<ReleaseReply> Release(ReleaseRequest request, ServerCallContext context)
    {
        RequireOrderId(request.OrderId);
        return Task.FromResult(new ReleaseReply { Released = store.Release(request.OrderId) });
    }

    public override Task<StockLevel> GetStock(GetStockRequest request, ServerCallContext context)
        => Task.FromResult(store.Get(request.Sku) ?? throw UnknownSku(request.Sku));

    public override async Task WatchStock(WatchStockRequest request, IServerStreamWriter<StockLevel> responseStream, ServerCallContext context)
    {
        // Other instances change the same file, so this polls it rather than waiting for local changes.
        var last = store.Get(request.Sku) ?? throw UnknownSku(request.Sku);
        await responseStream.WriteAsync(last).ConfigureAwait(false);
        while (!context.CancellationToken.IsCancellationRequested)
        {
            await Task.Delay(WatchPoll, context.CancellationToken).ConfigureAwait(false);
            var now = store.Get(request.Sku) ?? throw UnknownSku(request.Sku);
            if (!now.Equals(last))
            {
                await responseStream.WriteAsync(now).ConfigureAwait(false);
                last = now;
            }
        }
    }

    private static void RequireOrderId(string orderId)
    {
        if (string.IsNullOrWhiteSpace(orderId) || orderId.Length > 100)
        {
            throw Invalid("order_id must be 1-100 characters.");
        }
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    private static RpcException UnknownSku(string sku) => new(new Status(StatusCode.NotFound, $"unknown SKU '{sku}'."));
}
