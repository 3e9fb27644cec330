using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Shoal.Telemetry;

namespace Shoal.Server.Internal;

/// <summary>
/// The metrics port (<see cref="ShoalServerOptions.MetricsPort"/>): Prometheus text on
/// <c>/metrics</c> from an OpenTelemetry meter provider of its own that collects Shoal's meters
/// (<c>Shoal</c> and <c>Shoal.*</c>). The provider exists only while a metrics port is configured,
/// so a host without one enables no instrument and its calls record nothing.
/// </summary>
internal sealed class ShoalMetricsEndpoint(IOptions<ShoalServerOptions> options, ShoalEndpoints endpoints) : IHostedService, IDisposable
{
    /// <summary>The path Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    private MeterProvider? _provider;
    private RequestDelegate? _scrape;

    /// <summary>Adds the branch that answers requests arriving on the metrics port (and only those).</summary>
    public void Map(IApplicationBuilder app)
        => app.MapWhen(IsMetricsPortRequest, branch => branch.Run(HandleAsync));

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MetricsPort >= 0)
        {
            _provider ??= CreateProvider();
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public void Dispose() => _provider?.Dispose();

    /// <summary>A meter provider with the Prometheus exporter over Shoal's meters.</summary>
    internal static MeterProvider CreateProvider()
        => Sdk.CreateMeterProviderBuilder()
            .AddMeter(ShoalTelemetry.MeterName, ShoalTelemetry.MeterName + ".*")
            // Every scrape collects afresh: a probe or a test scraping twice sees the calls in between.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)
            .Build();

    /// <summary>The request pipeline that serves <paramref name="provider"/>'s Prometheus text at <see cref="MetricsPath"/>.</summary>
    internal static RequestDelegate CreateScrapePipeline(MeterProvider provider, IServiceProvider services)
    {
        var scrape = new ApplicationBuilder(services);
        scrape.UseOpenTelemetryPrometheusScrapingEndpoint(provider, static context => context.Request.Path == MetricsPath, path: null, configureBranchedPipeline: null, optionsName: null);
        scrape.Run(static context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync($"Not found: the metrics port serves {MetricsPath}.\n");
        });
        return scrape.Build();
    }

    private bool IsMetricsPortRequest(HttpContext context)
        => endpoints.Metrics is not null && context.Connection.LocalPort == endpoints.MetricsPort;

    private Task HandleAsync(HttpContext context)
    {
        if (_provider is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        }
        _scrape ??= CreateScrapePipeline(_provider, context.RequestServices);
        return _scrape(context);
    }
}
