using Microsoft.Extensions.Hosting;
using Shoal.Client.Discovery.InMemory;

namespace Shoal.Server.Registry.Internal;

/// <summary>
/// Closes the registry store as soon as the host starts stopping, before the web server drains.
/// Otherwise open watch streams hold the shutdown for its whole timeout, and while the server
/// refuses new calls the keepalives fail, leases expire, and watchers would be told that every
/// instance left just because the registry is going away.
/// </summary>
internal sealed class RegistryStoreShutdown(RegistryStore store, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(store.Dispose);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        store.Dispose();
        return Task.CompletedTask;
    }
}
