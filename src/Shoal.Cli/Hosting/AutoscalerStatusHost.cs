using Microsoft.Extensions.DependencyInjection;
using Shoal.Autoscaling.Hosting;
using Shoal.Registry.Etcd;

namespace Shoal.Cli.Hosting;

/// <summary>
/// A small Shoal host (native transport on a free 127.0.0.1 port) serving one autoscaler's
/// <see cref="AutoscalerStatusService"/>, registered with the cluster's registry so a dashboard of
/// that registry finds it; deregistered when disposed.
/// </summary>
internal sealed class AutoscalerStatusHost : IAsyncDisposable
{
    private readonly LoopbackShoalHost _host;

    private AutoscalerStatusHost(LoopbackShoalHost host)
    {
        _host = host;
        Address = $"shoal://{host.Authority}";
    }

    /// <summary>The status service's native address, <c>shoal://127.0.0.1:port</c>.</summary>
    public string Address { get; }

    /// <summary>Whether the autoscaler's registry is one a status service can register with (<c>registry://</c>, <c>etcd://</c>).</summary>
    public static bool CanRegister(string registry) =>
        registry.StartsWith("registry://", StringComparison.OrdinalIgnoreCase) || registry.StartsWith("etcd://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts serving <paramref name="autoscaler"/>'s status and registers it with its registry.</summary>
    public static async Task<AutoscalerStatusHost> StartAsync(ShoalAutoscaler autoscaler, string? registryTokenFile, CancellationToken cancellationToken)
    {
        var host = await LoopbackShoalHost.StartAsync(
            "The autoscaler's status host",
            o =>
            {
                o.Registry = autoscaler.Options.Registry;
                o.RegistryTokenFile = registryTokenFile;
                o.DeregisterDelay = TimeSpan.Zero;
            },
            (builder, server) =>
            {
                builder.Services.AddShoalEtcd();
                builder.Services.AddSingleton(new AutoscalerStatusService(autoscaler));
                server.AddService<AutoscalerStatusService>();
            },
            cancellationToken).ConfigureAwait(false);
        return new AutoscalerStatusHost(host);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
