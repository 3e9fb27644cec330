namespace Shoal.Server.Tests.Infrastructure;

/// <summary>The transport a test calls over.</summary>
public enum TestTransport
{
    /// <summary>The native protocol (shoal://).</summary>
    Native,

    /// <summary>gRPC over HTTP/2 (http:// or https://).</summary>
    Grpc,
}
