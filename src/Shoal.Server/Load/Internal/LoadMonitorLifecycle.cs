using Microsoft.Extensions.Hosting;

namespace Shoal.Server.Load.Internal;

/// <summary>Creates the monitor when the host starts (so the first window starts then) and ends its watch streams when the host begins to stop.</summary>
internal sealed class LoadMonitorLifecycle(ServerLoadMonitor monitor, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(static state => ((ServerLoadMonitor)state!).StopReporting(), monitor);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
