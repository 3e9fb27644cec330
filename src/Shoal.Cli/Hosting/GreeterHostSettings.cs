namespace Shoal.Cli.Hosting;

/// <summary>Where a <see cref="GreeterHost"/> listens and how its Greeter behaves.</summary>
internal sealed record GreeterHostSettings
{
    /// <summary>The address to listen on.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The native port: 0 picks a free port, -1 disables the native transport.</summary>
    public int TcpPort { get; init; }

    /// <summary>The gRPC port: 0 picks a free port, -1 disables gRPC.</summary>
    public int GrpcPort { get; init; }

    /// <summary>Added to every unary SayHello.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Whether the host's warnings and errors are logged to stderr (off for the in-process demo).</summary>
    public bool LogToStandardError { get; init; } = true;

    /// <summary>Unary calls per second the instance serves (a fixed capacity, see <see cref="CapacityLimiter"/>); null: unlimited.</summary>
    public double? Capacity { get; init; }

    /// <summary>Where the host registers (<c>registry://host:port</c>); null: it does not register.</summary>
    public string? Registry { get; init; }

    /// <summary>The embedded registry's token file (<c>--registry-token-file</c>); none when null.</summary>
    public string? RegistryTokenFile { get; init; }

    /// <summary>Authorities (PEM, <c>--registry-ca</c>) of a registry served with TLS; plaintext towards it when null.</summary>
    public string? RegistryCa { get; init; }

    /// <summary>TLS on both ports: the certificate (PEM, <c>--tls-cert</c>); plaintext when null.</summary>
    public string? TlsCertificate { get; init; }

    /// <summary>The key of <see cref="TlsCertificate"/> (PEM, <c>--tls-key</c>).</summary>
    public string? TlsKey { get; init; }

    /// <summary>Authorities (PEM, <c>--client-ca</c>) the clients' required certificates chain to; none required when null.</summary>
    public string? ClientCa { get; init; }

    /// <summary>The window of its load reports (<c>shoal.load.v1.LoadReporter</c>); null: the default (5 s).</summary>
    public TimeSpan? LoadWindow { get; init; }

    /// <summary>The Prometheus metrics and probes port (0: a free port); -1: none.</summary>
    public int MetricsPort { get; init; } = -1;

    /// <summary>Attach the OpenTelemetry SDK's tracer provider to Shoal's spans (no exporter): what tracing costs, for <c>bench --telemetry</c>.</summary>
    public bool Telemetry { get; init; }

    /// <summary>The instance id it registers with; null: a new one.</summary>
    public string? InstanceId { get; init; }
}
