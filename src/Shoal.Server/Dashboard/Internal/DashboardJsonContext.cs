using System.Text.Json.Serialization;

namespace Shoal.Server.Dashboard.Internal;

/// <summary>Source-generated JSON for the dashboard's small answers (the slim host has no reflection-based serializer).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DrainResult))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
