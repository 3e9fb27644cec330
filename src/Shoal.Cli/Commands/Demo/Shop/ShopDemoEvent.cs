using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>Something that happened during the shop demo.</summary>
internal sealed record ShopDemoEvent
{
    /// <summary>Seconds since the load started.</summary>
    [JsonPropertyName("t")] public double T { get; init; }

    /// <summary><c>scale-out</c>, <c>scale-in</c>, <c>sigkill</c>, <c>sigterm</c>, <c>exited</c> or <c>restarted</c>.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }

    /// <summary>The service concerned.</summary>
    [JsonPropertyName("service")] public required string Service { get; init; }

    /// <summary>Replicas before (scale decisions).</summary>
    [JsonPropertyName("from")] public int From { get; init; }

    /// <summary>Replicas after (scale decisions).</summary>
    [JsonPropertyName("to")] public int To { get; init; }

    /// <summary>The policy's reason, or the instance concerned.</summary>
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";

    /// <summary>Offered Inventory calls per second then.</summary>
    [JsonPropertyName("load")] public double Load { get; init; }

    /// <summary>The forecast then.</summary>
    [JsonPropertyName("forecast")] public double Forecast { get; init; }
}
