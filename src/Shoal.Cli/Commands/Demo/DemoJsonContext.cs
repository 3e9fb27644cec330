using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo;

/// <summary>Source-generated JSON for the autoscaling demo's report.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AutoscaleDemoReport))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
