using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Shoal.Telemetry;

/// <summary>
/// The names Shoal reports under: one <see cref="ActivitySource"/> for client calls, server calls and
/// cluster attempts on both transports, and one <see cref="Meter"/>. Add them to an OpenTelemetry
/// SDK with <c>AddSource(ShoalTelemetry.SourceName)</c> and <c>AddMeter(ShoalTelemetry.MeterName)</c>.
/// </summary>
/// <remarks>
/// Spans follow the OpenTelemetry RPC semantic conventions: name <c>package.Service/Method</c>,
/// <c>rpc.system</c> (<c>grpc</c> for gRPC, <c>shoal</c> for the native protocol), <c>rpc.service</c>,
/// <c>rpc.method</c>, <c>rpc.grpc.status_code</c> and <c>server.address</c>/<c>server.port</c>.
/// Nothing is allocated for a call while no listener samples the source.
/// </remarks>
public static class ShoalTelemetry
{
    /// <summary>The name of Shoal's activity source.</summary>
    public const string SourceName = "Shoal";

    /// <summary>The name of Shoal's meter.</summary>
    public const string MeterName = "Shoal";

    /// <summary>The activity source of every Shoal span.</summary>
    public static ActivitySource Source { get; } = new(SourceName, typeof(ShoalTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The meter of every Shoal instrument.</summary>
    public static Meter Meter { get; } = new(MeterName, typeof(ShoalTelemetry).Assembly.GetName().Version?.ToString());
}
