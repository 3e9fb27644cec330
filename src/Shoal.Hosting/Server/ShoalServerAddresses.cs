namespace Shoal.Hosting.Server;

/// <summary>The addresses a started Shoal host really listens on (ports chosen by the OS when configured as 0).</summary>
/// <param name="Native">The native protocol's address (<c>shoal://host:port</c>), or null when disabled.</param>
/// <param name="Grpc">The gRPC address (<c>http(s)://host:port</c>), or null when disabled.</param>
public sealed record ShoalServerAddresses(Uri? Native, Uri? Grpc);
