using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shoal.Autoscaling.Hosting;
using Shoal.Registry.Etcd;
using Shoal.Server;

namespace Shoal.Cli.Hosting;

/// <summary>
/// A small Shoal host (native transport on a free 127.0.0.1 port) serving one autoscaler's
/// <see cref="AutoscalerStatusService"/>, registered with the cluster's registry so a dashboard of
/// that registry finds it; deregistered when disposed.
/// </summary>
internal sealed class AutoscalerStatusHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AutoscalerStatusHost(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The status service's native address, <c>shoal://127.0.0.1:port</c>.</summary>
    public string Address { get; }

    /// <summary>Whether the autoscaler's registry is one a status service can register with (<c>registry://</c>, <c>etcd://</c>).</summary>
    public static bool CanRegister(string registry) =>
        registry.StartsWith("registry://", StringComparison.OrdinalIgnoreCase) || registry.StartsWith("etcd://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts serving <paramref name="autoscaler"/>'s status and registers it with its registry.</summary>
    public static async Task<AutoscalerStatusHost> StartAsync(ShoalAutoscaler autoscaler, string? registryTokenFile, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddShoalEtcd();
        builder.Services.AddSingleton(new AutoscalerStatusService(autoscaler));
        builder.AddShoalServer(o =>
        {
            o.Host = "127.0.0.1";
            o.TcpPort = 0;
            o.GrpcPort = -1;
            o.Registry = autoscaler.Options.Registry;
            o.RegistryTokenFile = registryTokenFile;
            o.DeregisterDelay = TimeSpan.Zero;
            o.ShutdownGracePeriod = TimeSpan.FromSeconds(1);
        }).AddService<AutoscalerStatusService>();
        var app = builder.Build();
        try
        {
            app.MapShoalServices();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var native = app.GetShoalAddresses().Native ?? throw new InvalidOperationException("The autoscaler's status host reported no native address.");
            return new AutoscalerStatusHost(app, $"shoal://{native.Authority}");
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
