using System.Text.Json.Serialization;
using Shoal.Cli.Commands.Bench;
using Shoal.Cli.Commands.Demo;
using Shoal.Cli.Commands.Serve;

namespace Shoal.Cli;

/// <summary>Source-generated JSON for everything the commands print or read.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ServeReady))]
[JsonSerializable(typeof(BenchReport))]
[JsonSerializable(typeof(DemoReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
