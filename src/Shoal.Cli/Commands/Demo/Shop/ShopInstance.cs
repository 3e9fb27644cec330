using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>One instance of a shop service and where it ran.</summary>
internal sealed record ShopInstance
{
    /// <summary>The service (lower case).</summary>
    [JsonPropertyName("service")] public required string Service { get; init; }

    /// <summary>The instance id it registered with (kept when the actuator replaces it).</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }

    /// <summary>Where it ran: <c>pid 1234</c>, or <c>container 0123456789ab</c>.</summary>
    [JsonPropertyName("where")] public required string Where { get; init; }

    /// <summary>Its process id when it ran as a process of this machine (0 in a container).</summary>
    [JsonIgnore] public int ProcessId { get; init; }
}
