using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Shoal.Telemetry;

namespace Shoal.OpenTelemetry;

/// <summary>Wires Shoal's activity source and meters into the OpenTelemetry SDK.</summary>
public static class ShoalTelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the OpenTelemetry SDK (<c>OpenTelemetry.Extensions.Hosting</c>) with Shoal's spans
    /// (source <c>Shoal</c>: client, server and cluster-attempt spans on both transports) and
    /// metrics (meters <c>Shoal</c> and <c>Shoal.*</c>: RPC durations, in-flight, sizes, cluster,
    /// registry, autoscaler, load), exported over OTLP unless <see cref="ShoalTelemetryOptions.UseOtlpExporter"/> is false.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>The SDK's builder, to add other sources, meters, instrumentations or exporters.</returns>
    /// <exception cref="ArgumentException">The OTLP endpoint is not an absolute http(s) address, or the export interval is not positive.</exception>
    public static OpenTelemetryBuilder AddShoalTelemetry(this IServiceCollection services, Action<ShoalTelemetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new ShoalTelemetryOptions();
        configure?.Invoke(options);
        Validate(options);

        var builder = services.AddOpenTelemetry();
        if (options.ServiceName is { } name)
        {
            builder.ConfigureResource(resource => resource.AddService(name));
        }
        if (options.Tracing)
        {
            builder.WithTracing(tracing =>
            {
                tracing.AddShoalInstrumentation();
                if (options.UseOtlpExporter)
                {
                    tracing.AddOtlpExporter(otlp => Configure(otlp, options, "v1/traces"));
                }
            });
        }
        if (options.Metrics)
        {
            builder.WithMetrics(metrics =>
            {
                metrics.AddShoalInstrumentation();
                if (options.UseOtlpExporter)
                {
                    metrics.AddOtlpExporter((otlp, reader) =>
                    {
                        Configure(otlp, options, "v1/metrics");
                        if (options.MetricExportInterval is { } interval)
                        {
                            reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)interval.TotalMilliseconds;
                        }
                    });
                }
            });
        }
        return builder;
    }

    /// <summary>Adds Shoal's activity source (<see cref="ShoalTelemetry.SourceName"/>) to a tracer provider.</summary>
    /// <param name="tracing">The tracer provider's builder.</param>
    /// <returns>The same builder.</returns>
    public static TracerProviderBuilder AddShoalInstrumentation(this TracerProviderBuilder tracing)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        return tracing.AddSource(ShoalTelemetry.SourceName);
    }

    /// <summary>Adds Shoal's meters (<see cref="ShoalTelemetry.MeterName"/> and every <c>Shoal.*</c> meter) to a meter provider.</summary>
    /// <param name="metrics">The meter provider's builder.</param>
    /// <returns>The same builder.</returns>
    public static MeterProviderBuilder AddShoalInstrumentation(this MeterProviderBuilder metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.AddMeter(ShoalTelemetry.MeterName, ShoalTelemetry.MeterName + ".*");
    }

    private static void Configure(OtlpExporterOptions otlp, ShoalTelemetryOptions options, string httpPath)
    {
        if (options.OtlpProtocol is { } protocol)
        {
            otlp.Protocol = protocol;
        }
        if (options.OtlpEndpoint is { } endpoint)
        {
            // Set explicitly, the endpoint is used as it is: over HTTP the signal's path must be on it.
            otlp.Endpoint = otlp.Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + httpPath)
                : endpoint;
        }
    }

    private static void Validate(ShoalTelemetryOptions options)
    {
        if (options.OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"ShoalTelemetryOptions.OtlpEndpoint '{endpoint}' must be an absolute http:// or https:// address.", nameof(options));
        }
        if (options.MetricExportInterval is { } interval && (interval <= TimeSpan.Zero || interval.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentException($"ShoalTelemetryOptions.MetricExportInterval {interval} must be positive.", nameof(options));
        }
    }
}
