using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shoal.Server;

namespace Shoal.Cli.Hosting;

/// <summary>
/// A quiet Shoal host inside this process, native protocol only, on a free 127.0.0.1 port: what the
/// CLI runs beside its main job (the demo's registry, an autoscaler's status service). Warnings only
/// in the log, no lifetime messages, a one-second shutdown grace.
/// </summary>
internal sealed class LoopbackShoalHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackShoalHost(WebApplication app, string authority)
    {
        _app = app;
        Authority = authority;
    }

    /// <summary>The native endpoint's <c>127.0.0.1:port</c>.</summary>
    public string Authority { get; }

    /// <summary>
    /// Builds and starts the host: <paramref name="configureServer"/> adds to the loopback server
    /// options, <paramref name="addServices"/> registers what it serves. <paramref name="what"/> names
    /// the host in the error when it reports no native address.
    /// </summary>
    public static async Task<LoopbackShoalHost> StartAsync(
        string what,
        Action<ShoalServerOptions> configureServer,
        Action<WebApplicationBuilder, IShoalServerBuilder> addServices,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        var server = builder.AddShoalServer(o =>
        {
            o.Host = "127.0.0.1";
            o.TcpPort = 0;
            o.GrpcPort = -1;
            o.ShutdownGracePeriod = TimeSpan.FromSeconds(1);
            configureServer(o);
        });
        addServices(builder, server);
        var app = builder.Build();
        try
        {
            app.MapShoalServices();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var native = app.GetShoalAddresses().Native ?? throw new InvalidOperationException($"{what} reported no native address.");
            return new LoopbackShoalHost(app, native.Authority);
        }
        catch
        {
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
        }
    }
}
