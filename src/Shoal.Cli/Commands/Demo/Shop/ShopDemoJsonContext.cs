using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>Source-generated JSON for the shop demo's report.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ShopDemoReport))]
internal sealed partial class ShopDemoJsonContext : JsonSerializerContext;
