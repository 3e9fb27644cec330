using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shoal.Server;
using Shoal.Server.Load;

namespace Shoal.Autoscaling.Hosting.Tests.Infrastructure;

/// <summary>One Greeter host of a <see cref="TestCluster"/>.</summary>
public sealed class GreeterInstance(WebApplication app)
{
    private int _stopped;

    public string InstanceId => app.Services.GetRequiredService<IOptions<ShoalServerOptions>>().Value.InstanceId!;

    public string NativeTarget => app.GetShoalAddresses().NativeTarget!;

    public ServerLoadMonitor Monitor => app.Services.GetRequiredService<ServerLoadMonitor>();

    /// <summary>Stops it gracefully (it deregisters first); later calls do nothing.</summary>
    public Task StopAsync() => Interlocked.Exchange(ref _stopped, 1) == 0 ? StopAsync(app) : Task.CompletedTask;

    internal static async Task StopAsync(WebApplication app)
    {
        try
        {
            using var stop = new CancellationTokenSource(TestCluster.Timeout);
            await app.StopAsync(stop.Token).WaitAsync(TestCluster.Timeout);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
