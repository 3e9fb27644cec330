namespace Shoal.Instances;

/// <summary>The transports an instance can be reached over.</summary>
public enum TransportKind
{
    /// <summary>Shoal's native binary protocol over TCP (<c>shoal://</c>).</summary>
    Native,

    /// <summary>gRPC over HTTP/2 (<c>http://</c> or <c>https://</c>).</summary>
    Grpc,
}
