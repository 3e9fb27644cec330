using Grpc.Core;
using Shoal.Client.Load.Protocol;

namespace Shoal.Server.Load.Internal;

/// <summary>
/// <c>shoal.load.v1.LoadReporter</c>: the monitor's windows on the wire. Served by every Shoal host
/// on both transports, as health and reflection are.
/// </summary>
internal sealed class LoadReporterService(ServerLoadMonitor monitor) : LoadReporter.LoadReporterBase
{
    public override Task<LoadReport> Get(GetRequest request, ServerCallContext context)
        => Task.FromResult(LoadReportMapper.ToProto(monitor.Latest));

    public override async Task Watch(WatchRequest request, IServerStreamWriter<LoadReport> responseStream, ServerCallContext context)
    {
        // The stream ends with OK when the server begins to stop, so a stopping host is not held
        // up by its watchers for the whole grace period.
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, monitor.Stopping);
        var latest = monitor.Latest;
        try
        {
            if (latest.Sequence > 0)
            {
                await responseStream.WriteAsync(LoadReportMapper.ToProto(latest)).ConfigureAwait(false);
            }
            while (!ends.IsCancellationRequested)
            {
                latest = await monitor.WaitForWindowAsync(latest.Sequence, ends.Token).ConfigureAwait(false);
                await responseStream.WriteAsync(LoadReportMapper.ToProto(latest)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (monitor.Stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
        }
    }
}
