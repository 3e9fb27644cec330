using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>One control interval of the shop demo.</summary>
internal sealed record ShopTimelinePoint
{
    /// <summary>Seconds since the load started.</summary>
    [JsonPropertyName("t")] public double T { get; init; }

    /// <summary>Orders offered per second during the interval.</summary>
    [JsonPropertyName("load")] public double Load { get; init; }

    /// <summary>The autoscaler's forecast of Inventory calls per second.</summary>
    [JsonPropertyName("forecast")] public double Forecast { get; init; }

    /// <summary>Inventory instances asked for.</summary>
    [JsonPropertyName("replicas")] public int Replicas { get; init; }

    /// <summary>Inventory instances registered (what Orders' cluster clients see).</summary>
    [JsonPropertyName("ready")] public int Ready { get; init; }

    /// <summary>p99 of the orders that ended in the interval, milliseconds.</summary>
    [JsonPropertyName("p99_ms")] public double P99Ms { get; init; }

    /// <summary>Orders that failed in the interval.</summary>
    [JsonPropertyName("errors")] public long Errors { get; init; }
}
