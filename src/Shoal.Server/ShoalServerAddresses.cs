namespace Shoal.Server;

/// <summary>The addresses a started Shoal host really listens on (ports chosen by the OS when configured as 0).</summary>
/// <param name="Native">The native protocol's address (<c>shoal://host:port</c>), or null when disabled.</param>
/// <param name="Grpc">The gRPC address (<c>http(s)://host:port</c>), or null when disabled.</param>
public sealed record ShoalServerAddresses(Uri? Native, Uri? Grpc)
{
    /// <summary>The native address as a target string without a trailing slash (<c>shoal://127.0.0.1:7000</c>), or null.</summary>
    public string? NativeTarget => Native?.GetLeftPart(UriPartial.Authority);

    /// <summary>The gRPC address as a target string without a trailing slash (<c>http://127.0.0.1:7001</c>), or null.</summary>
    public string? GrpcTarget => Grpc?.GetLeftPart(UriPartial.Authority);

    /// <summary>The metrics and probes address (<c>http://host:port</c>), or null when <see cref="ShoalServerOptions.MetricsPort"/> is off.</summary>
    public Uri? Metrics { get; init; }

    /// <summary>For example <c>native shoal://127.0.0.1:7000, grpc http://127.0.0.1:7001</c>.</summary>
    public override string ToString() => $"native {NativeTarget ?? "(disabled)"}, grpc {GrpcTarget ?? "(disabled)"}";
}
