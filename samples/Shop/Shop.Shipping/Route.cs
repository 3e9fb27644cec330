using System.Security.Cryptography;
using System.Text;

namespace Shop.Shipping;

/// <summary>
/// A shipment's simulated journey from the warehouse to its destination: straight legs of one
/// planned hour each, some of which run late. Everything follows from the tracking id and the
/// destination, so every instance (and every re-subscription) tells the same story.
/// </summary>
public sealed class Route
{
    /// <summary>Legs of every route.</summary>
    public const int Legs = 8;

    /// <summary>Minutes behind the plan past which each late leg raises an alert.</summary>
    public const int AlertAfterMinutes = 30;

    private const double WarehouseLatitude = 48.85;
    private const double WarehouseLongitude = 2.35;

    private readonly byte[] _delays;
    private readonly double _latitude;
    private readonly double _longitude;

    /// <summary>The route of <paramref name="shipment"/>.</summary>
    public Route(Shipment shipment)
    {
        _delays = SHA256.HashData(Encoding.UTF8.GetBytes(shipment.TrackingId));
        var place = SHA256.HashData(Encoding.UTF8.GetBytes(shipment.Destination));
        _latitude = 36 + (place[0] / 255.0 * 20);
        _longitude = -9 + (place[1] / 255.0 * 33);
    }

    /// <summary>The tracking id of <paramref name="orderId"/>'s shipment (stable: a repeat gets the same one).</summary>
    public static string TrackingIdOf(string orderId)
        => "trk-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(orderId)))[..16];

    /// <summary>Where the shipment is after <paramref name="leg"/> legs.</summary>
    public (double Latitude, double Longitude) PositionAfter(int leg)
    {
        var share = (double)leg / Legs;
        return (Math.Round(WarehouseLatitude + ((_latitude - WarehouseLatitude) * share), 5),
                Math.Round(WarehouseLongitude + ((_longitude - WarehouseLongitude) * share), 5));
    }

    /// <summary>Minutes leg <paramref name="leg"/> (1-based) runs late: mostly none, sometimes a short or a long hold-up.</summary>
    public int DelayOf(int leg) => _delays[leg] switch
    {
        < 40 => 45,
        < 100 => 10,
        _ => 0,
    };

    /// <summary>Why leg <paramref name="leg"/> ran late.</summary>
    public static string ReasonOf(int leg) => (leg % 3) switch
    {
        0 => "congestion at the depot",
        1 => "road works",
        _ => "weather",
    };
}
