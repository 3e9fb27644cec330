using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Serve;

/// <summary>The line <c>shoal serve</c> prints when it listens.</summary>
/// <param name="Native">The native address, <c>shoal://host:port</c>, or null.</param>
/// <param name="Grpc">The gRPC address, <c>http://host:port</c>, or null.</param>
/// <param name="Server">Which server: <c>shoal</c> or <c>grpc-dotnet</c>.</param>
/// <param name="Pid">The serving process.</param>
internal sealed record ServeReady(
    [property: JsonPropertyName("native")] string? Native,
    [property: JsonPropertyName("grpc")] string? Grpc,
    [property: JsonPropertyName("server")] string Server,
    [property: JsonPropertyName("pid")] int Pid)
{
    /// <summary>The metrics and probes address (<c>http://host:port</c>), when <c>--metrics-port</c> is given.</summary>
    [JsonPropertyName("metrics")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Metrics { get; init; }
}
