using Microsoft.Extensions.Hosting;

namespace Shoal.Autoscaling.Hosting.Internal;

/// <summary>Runs the autoscaler for the life of the host.</summary>
internal sealed class ShoalAutoscalerHostedService(ShoalAutoscaler autoscaler) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => autoscaler.RunAsync(stoppingToken);
}
