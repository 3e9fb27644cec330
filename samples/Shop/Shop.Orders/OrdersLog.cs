using Microsoft.Extensions.Logging;

namespace Shop.Orders;

/// <summary>The Orders service's log messages.</summary>
internal static partial class OrdersLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Order {OrderId}: payment declined ({Reason}); its reservation was released.")]
    public static partial void Compensated(ILogger logger, string orderId, string reason);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Order {OrderId}: charge attempt {Attempt} failed with {Status}; sending it again with the same idempotency key.")]
    public static partial void ChargeRetried(ILogger logger, string orderId, int attempt, Grpc.Core.StatusCode status);
}
