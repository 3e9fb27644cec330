using Grpc.Core;

namespace Shop.Shipping;

/// <summary>The Shipping contract: shipments in the <see cref="ShipmentBook"/>, tracking along their <see cref="Route"/>.</summary>
public sealed class ShippingService(ShipmentBook book) : Shipping.ShippingBase
{
    private const int DefaultIntervalMs = 100;
    private const int MaxIntervalMs = 10_000;

    public override Task<Shipment> CreateShipment(CreateShipmentRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.OrderId) || request.OrderId.Length > 100 || string.IsNullOrWhiteSpace(request.Destination))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "a shipment needs an order_id (1-100 characters) and a destination."));
        }
        var shipment = new Shipment
        {
            OrderId = request.OrderId,
            TrackingId = Route.TrackingIdOf(request.OrderId),
            Destination = request.Destination,
            Legs = Route.Legs,
        };
        return Task.FromResult(book.Add(shipment));
    }

    public override async Task Track(TrackRequest request, IServerStreamWriter<TrackingUpdate> responseStream, ServerCallContext context)
    {
        if (request.IntervalMs is < 0 or > MaxIntervalMs)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"interval_ms must be 0-{MaxIntervalMs}."));
        }
        var shipment = book.ByTrackingId(request.TrackingId)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no shipment '{request.TrackingId}'."));
        var route = new Route(shipment);
        var interval = TimeSpan.FromMilliseconds(request.IntervalMs == 0 ? DefaultIntervalMs : request.IntervalMs);
        var late = 0;
        for (var leg = 0; leg <= shipment.Legs; leg++)
        {
            if (leg > 0)
            {
                await Task.Delay(interval, context.CancellationToken).ConfigureAwait(false);
            }
            var delay = leg == 0 ? 0 : route.DelayOf(leg);
            late += delay;
            var (latitude, longitude) = route.PositionAfter(leg);
            var update = new TrackingUpdate
            {
                TrackingId = shipment.TrackingId,
                Leg = leg,
                Legs = shipment.Legs,
                Latitude = latitude,
                Longitude = longitude,
                MinutesLate = late,
                Delivered = leg == shipment.Legs,
            };
            if (delay > 0 && late > Route.AlertAfterMinutes)
            {
                update.Alert = new DelayAlert { MinutesLate = late, Reason = Route.ReasonOf(leg) };
            }
            await responseStream.WriteAsync(update).ConfigureAwait(false);
        }
    }
}
