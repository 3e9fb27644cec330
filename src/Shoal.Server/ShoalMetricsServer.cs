using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Shoal.Server.Internal;

namespace Shoal.Server;

/// <summary>
/// A metrics port for a process that is not a Shoal host (<c>shoal autoscale run</c>): plain
/// HTTP/1.1 serving the Prometheus text of Shoal's meters (<c>Shoal</c>, <c>Shoal.*</c>) at
/// <c>/metrics</c>, as <see cref="ShoalServerOptions.MetricsPort"/> does in a host.
/// </summary>
public sealed class ShoalMetricsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MeterProvider _provider;

    private ShoalMetricsServer(WebApplication app, MeterProvider provider, Uri address)
    {
        _app = app;
        _provider = provider;
        Address = address;
    }

    /// <summary>The address it listens on, <c>http://host:port</c>; scrape <c>/metrics</c> under it.</summary>
    public Uri Address { get; }

    /// <summary>Starts collecting Shoal's meters and listening on <paramref name="host"/>:<paramref name="port"/> (0 picks a free port).</summary>
    /// <param name="host">An IP address, <c>localhost</c> or <c>*</c>.</param>
    /// <param name="port">The port; 0 for a free one.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started server; dispose it to stop.</returns>
    /// <exception cref="IOException">The port is in use.</exception>
    public static async Task<ShoalMetricsServer> StartAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var address = ShoalKestrelSetup.ParseHost(host);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var provider = ShoalMetricsEndpoint.CreateProvider();
        try
        {
            app.Run(ShoalMetricsEndpoint.CreateScrapePipeline(provider, app.Services));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return new ShoalMetricsServer(app, provider, new Uri($"http://{bound.Authority}"));
        }
        catch
        {
            provider.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _provider.Dispose();
        }
    }
}
