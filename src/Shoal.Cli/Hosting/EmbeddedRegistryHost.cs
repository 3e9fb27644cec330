using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shoal.Server;
using Shoal.Server.Registry;

namespace Shoal.Cli.Hosting;

/// <summary>The embedded registry run inside this process (what <c>shoal registry</c> runs as its own process).</summary>
internal sealed class EmbeddedRegistryHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedRegistryHost(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The registry's address: <c>registry://127.0.0.1:port</c>.</summary>
    public string Address { get; }

    /// <summary>Starts the registry on a free loopback port (native protocol only), open to every caller.</summary>
    public static Task<EmbeddedRegistryHost> StartAsync(CancellationToken cancellationToken) => StartAsync(null, cancellationToken);

    /// <summary>
    /// Starts the registry on a free loopback port (native protocol only). With
    /// <paramref name="tokenFile"/>, only callers sending its token get in (members only).
    /// </summary>
    public static async Task<EmbeddedRegistryHost> StartAsync(string? tokenFile, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.AddShoalServer(o =>
        {
            o.Host = "127.0.0.1";
            o.TcpPort = 0;
            o.GrpcPort = -1;
            o.ShutdownGracePeriod = TimeSpan.FromSeconds(1);
        }).AddEmbeddedRegistry();
        builder.Services.Configure<EmbeddedRegistryOptions>(o => o.TokenFile = tokenFile);
        var app = builder.Build();
        try
        {
            app.MapShoalServices();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var native = app.GetShoalAddresses().Native ?? throw new InvalidOperationException("The registry reported no native address.");
            return new EmbeddedRegistryHost(app, $"registry://{native.Authority}");
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
