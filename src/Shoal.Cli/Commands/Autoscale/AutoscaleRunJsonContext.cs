using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Autoscale;

/// <summary>Source-generated JSON for <c>shoal autoscale run --json</c> (snake_case, one object per line).</summary>
[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AutoscaleRunLine))]
internal sealed partial class AutoscaleRunJsonContext : JsonSerializerContext;
