using Grpc.Core;
using Shoal.Client;
using Shoal.Client.Autoscaling.Protocol;

namespace Shoal.Server.Dashboard.Internal;

internal sealed partial class DashboardMonitor
{
    /// <summary>
    /// Reads an autoscaler's status service every <see cref="ShoalDashboardOptions.RefreshInterval"/> while it
    /// is registered: the ticks shown are the autoscaler's own, not recomputed here.
    /// </summary>
    private async Task PollStatusAsync(AutoscalerView view, CancellationToken cancellationToken)
    {
        try
        {
            var channel = ShoalChannel.ForTarget(view.Native);
            await using (channel.ConfigureAwait(false))
            {
                var client = new AutoscalerStatus.AutoscalerStatusClient(channel);
                using var timer = new PeriodicTimer(_options.RefreshInterval, _time);
                do
                {
                    try
                    {
                        var reply = await client.GetAsync(new GetStatusRequest { MaxTicks = _options.MaxAutoscalerTicks },
                            deadline: _time.GetUtcNow().UtcDateTime + _options.CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                        view.OnStatus(reply);
                    }
                    catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
                    {
                        view.OnError($"{e.StatusCode}: {e.Status.Detail}");
                    }
                }
                while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The autoscaler left or the dashboard stops.
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled mid-call.
        }
        catch (Exception e) when (e is UriFormatException or FormatException or ArgumentException or InvalidOperationException)
        {
            view.OnError($"cannot read {view.Native}: {e.Message}");
        }
    }
}
