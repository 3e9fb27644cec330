using OpenTelemetry.Exporter;

namespace Shoal.OpenTelemetry;

/// <summary>What <see cref="ShoalTelemetryServiceCollectionExtensions.AddShoalTelemetry"/> wires into the OpenTelemetry SDK.</summary>
public sealed class ShoalTelemetryOptions
{
    /// <summary>The <c>service.name</c> of the resource; the SDK's default (from <c>OTEL_SERVICE_NAME</c>, else the process) when null.</summary>
    public string? ServiceName { get; set; }

    /// <summary>Export Shoal's spans (activity source <c>Shoal</c>). Default true.</summary>
    public bool Tracing { get; set; } = true;

    /// <summary>Export Shoal's metrics (meters <c>Shoal</c> and <c>Shoal.*</c>). Default true.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>Add the OTLP exporter to the providers. Default true; false leaves the exporters to the caller.</summary>
    public bool UseOtlpExporter { get; set; } = true;

    /// <summary>
    /// The OTLP endpoint. Null: the exporter's own default (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, else
    /// <c>http://localhost:4317</c> for gRPC, <c>http://localhost:4318</c> for HTTP). With
    /// <see cref="OtlpExportProtocol.HttpProtobuf"/> give the base address: <c>/v1/traces</c> and
    /// <c>/v1/metrics</c> are appended.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The OTLP protocol; the exporter's default (gRPC, or <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>) when null.</summary>
    public OtlpExportProtocol? OtlpProtocol { get; set; }

    /// <summary>How often metrics are exported over OTLP; the SDK's default (60 s) when null.</summary>
    public TimeSpan? MetricExportInterval { get; set; }
}
