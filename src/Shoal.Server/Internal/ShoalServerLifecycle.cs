using Grpc.HealthCheck;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shoal.Server.Internal;

/// <summary>Logs where the host serves once it has started, and turns health to NOT_SERVING when shutdown begins.</summary>
internal sealed class ShoalServerLifecycle(
    IHostApplicationLifetime lifetime,
    HealthServiceImpl health,
    ShoalServiceRegistry registry,
    ShoalEndpoints endpoints,
    IOptions<ShoalServerOptions> options,
    ILogger<ShoalServerLifecycle> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(OnStarted);
        // ApplicationStopping fires before Kestrel stops accepting calls, so health checkers see
        // NOT_SERVING while calls in flight still finish.
        lifetime.ApplicationStopping.Register(OnStopping);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void OnStarted()
    {
        if (!registry.Mapped && endpoints.Grpc is not null)
        {
            ShoalServerLog.NotMapped(logger);
        }
        var addresses = endpoints.GetAddresses();
        ShoalServerLog.Started(
            logger,
            string.Join(", ", registry.Services.Select(s => s.ServiceName)),
            addresses.NativeTarget ?? "(disabled)",
            addresses.GrpcTarget ?? "(disabled)");
    }

    private void OnStopping()
    {
        ShoalBuiltInServices.SetNotServing(health, registry);
        ShoalServerLog.Stopping(logger, options.Value.ShutdownGracePeriod);
    }
}
