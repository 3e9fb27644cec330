using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo;

/// <summary>One call the demo made.</summary>
internal sealed record DemoStep
{
    /// <summary><c>native</c> or <c>grpc</c>.</summary>
    [JsonPropertyName("transport")] public required string Transport { get; init; }

    /// <summary>The target called.</summary>
    [JsonPropertyName("target")] public required string Target { get; init; }

    /// <summary>The method, e.g. <c>hello.Greeter/SayHello</c>.</summary>
    [JsonPropertyName("method")] public required string Method { get; init; }

    /// <summary><c>unary</c>, <c>server-streaming</c>, <c>client-streaming</c> or <c>bidi-streaming</c>.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }

    /// <summary>Whether the call succeeded.</summary>
    [JsonPropertyName("ok")] public bool Ok { get; init; }

    /// <summary>The reply messages (or the error).</summary>
    [JsonPropertyName("result")] public IReadOnlyList<string> Result { get; init; } = [];

    /// <summary>Wall time of the step in milliseconds.</summary>
    [JsonPropertyName("ms")] public double Milliseconds { get; init; }
}
