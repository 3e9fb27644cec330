using Shoal.Instances;

namespace Shoal.Client.Discovery.Internal;

/// <summary>Builds instance addresses for resolvers that only know host and port.</summary>
internal static class Addresses
{
    /// <summary>The transport a target's <c>?transport=</c> option names: native (default) or grpc.</summary>
    public static TransportKind ParseTransport(IReadOnlyDictionary<string, string> query)
    {
        if (!query.TryGetValue("transport", out var value) || value.Length == 0)
        {
            return TransportKind.Native;
        }
        return value.ToLowerInvariant() switch
        {
            "native" or "shoal" => TransportKind.Native,
            "grpc" or "http" => TransportKind.Grpc,
            _ => throw new FormatException($"Unknown transport '{value}'; expected native or grpc."),
        };
    }

    /// <summary><c>shoal://host:port</c> for native, <c>http://host:port</c> for gRPC (IPv6 hosts in brackets).</summary>
    public static Uri For(TransportKind transport, string host, int port)
    {
        var scheme = transport == TransportKind.Grpc ? "http" : "shoal";
        var h = host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
        return new Uri($"{scheme}://{h}:{port}");
    }
}
