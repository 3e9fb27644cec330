using Grpc.Core;
using Shoal.Client;
using Shoal.Client.Load.Protocol;

namespace Shoal.Server.Dashboard.Internal;

internal sealed partial class DashboardMonitor
{
    /// <summary>
    /// One <c>LoadReporter/Watch</c> stream to the instance's native address while it is registered;
    /// a stream that ends or fails is opened again after <see cref="ShoalDashboardOptions.LoadRetryDelay"/>.
    /// </summary>
    private async Task WatchLoadAsync(Watched watched, CancellationToken cancellationToken)
    {
        var view = watched.View;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var channel = ShoalChannel.ForTarget(view.Native);
                await using (channel.ConfigureAwait(false))
                {
                    try
                    {
                        using var call = new LoadReporter.LoadReporterClient(channel).Watch(new WatchRequest(), cancellationToken: cancellationToken);
                        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                        {
                            view.OnReport(call.ResponseStream.Current);
                        }
                        view.OnLoadError("load stream ended");
                    }
                    catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
                    {
                        view.OnLoadError($"{e.StatusCode}: {e.Status.Detail}");
                    }
                }
                await Task.Delay(_options.LoadRetryDelay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The instance left or the dashboard stops.
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled mid-call.
        }
        catch (Exception e) when (e is UriFormatException or FormatException or ArgumentException or InvalidOperationException)
        {
            // A registered address the client cannot use: the row says so, the dashboard goes on.
            view.OnLoadError($"cannot watch {view.Native}: {e.Message}");
        }
    }
}
