using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Shoal.Telemetry;

namespace Shoal.Server.Internal;

/// <summary>
/// The metrics port (<see cref="ShoalServerOptions.MetricsPort"/>): Prometheus text on
/// <c>/metrics</c> from an OpenTelemetry meter provider of its own that collects Shoal's meters
/// (<c>Shoal</c> and <c>Shoal.*</c>), and the probes: <c>/healthz</c> (live: the checks tagged
/// <c>live</c>, none by default) and <c>/readyz</c> (every health check, and not draining). The
/// provider exists only while a metrics port is configured, so a host without one enables no
/// instrument and its calls record nothing.
/// </summary>
internal sealed class ShoalMetricsEndpoint(IOptions<ShoalServerOptions> options, ShoalEndpoints endpoints, IHostApplicationLifetime lifetime) : IHostedService, IDisposable
{
    /// <summary>The path Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The liveness probe's path.</summary>
    public const string LivePath = "/healthz";

    /// <summary>The readiness probe's path.</summary>
    public const string ReadyPath = "/readyz";

    /// <summary>The tag of the health checks the liveness probe runs.</summary>
    public const string LiveTag = "live";

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

    /// <summary>200 and "ok" when the selected checks pass (and the host is not draining), else 503 and the failing checks, one a line.</summary>
    private static async Task ProbeAsync(HttpContext context, Func<HealthCheckRegistration, bool> predicate, bool draining)
    {
        var report = await context.RequestServices.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(predicate, context.RequestAborted).ConfigureAwait(false);
        var failing = report.Entries.Where(static e => e.Value.Status == HealthStatus.Unhealthy)
            .Select(static e => $"{e.Key}: {e.Value.Description ?? e.Value.Exception?.Message ?? "unhealthy"}")
            .ToList();
        if (draining)
        {
            failing.Insert(0, "draining: the host is shutting down");
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.StatusCode = failing.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        await context.Response.WriteAsync(failing.Count == 0 ? "ok\n" : string.Join('\n', failing) + "\n", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The request pipeline that serves <paramref name="provider"/>'s Prometheus text at <see cref="MetricsPath"/>.</summary>
    internal static RequestDelegate CreateScrapePipeline(MeterProvider provider, IServiceProvider services)
    {
        var scrape = new ApplicationBuilder(services);
        scrape.UseOpenTelemetryPrometheusScrapingEndpoint(provider, static context => context.Request.Path == MetricsPath, path: null, configureBranchedPipeline: null, optionsName: null);
        scrape.Run(static context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync($"Not found: the metrics port serves {MetricsPath}, {LivePath} and {ReadyPath}.\n");
        });
        return scrape.Build();
    }

    private bool IsMetricsPortRequest(HttpContext context)
        => endpoints.Metrics is not null && context.Connection.LocalPort == endpoints.MetricsPort;

    private Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == LivePath)
        {
            return ProbeAsync(context, static check => check.Tags.Contains(LiveTag), draining: false);
        }
        if (context.Request.Path == ReadyPath)
        {
            return ProbeAsync(context, static _ => true, lifetime.ApplicationStopping.IsCancellationRequested);
        }
        if (_provider is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        }
        _scrape ??= CreateScrapePipeline(_provider, context.RequestServices);
        return _scrape(context);
    }
}
