using Grpc.Core;
using Microsoft.Extensions.Logging;
using Shoal.Autoscaling.Signals;
using Shoal.Client.Load.Protocol;
using Shoal.Connections;

namespace Shoal.Autoscaling.Hosting.Internal;

/// <summary>
/// Keeps one LoadReporter.Watch stream open to one instance and feeds its reports to the
/// aggregator; reopens it (with a doubling delay) when it fails or ends, and forgets the
/// instance's load when disposed (the instance left the registry).
/// </summary>
internal sealed class InstanceLoadWatcher : IAsyncDisposable
{
    private readonly string _instanceId;
    private readonly Uri _address;
    private readonly IConnectionFactory _factory;
    private readonly LoadAggregator _aggregator;
    private readonly RegistryLoadSignalOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private string? _reportedId;
    private long _reports;

    public InstanceLoadWatcher(string instanceId, Uri address, IConnectionFactory factory, LoadAggregator aggregator, RegistryLoadSignalOptions options, TimeProvider time, ILogger logger)
    {
        _instanceId = instanceId;
        _address = address;
        _factory = factory;
        _aggregator = aggregator;
        _options = options;
        _time = time;
        _logger = logger;
        _run = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Gets the number of reports received so far.</summary>
    public long Reports => Interlocked.Read(ref _reports);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = _options.ReconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            string reason;
            var connection = _factory.Create(_address);
            try
            {
                var client = new LoadReporter.LoadReporterClient(connection.Invoker);
                using var call = client.Watch(new WatchRequest(), cancellationToken: cancellationToken);
                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    var report = call.ResponseStream.Current;
                    // The instance names itself; the registry's id may differ (static:// and dns:// make one up).
                    Volatile.Write(ref _reportedId, report.InstanceId);
                    _aggregator.Report(LoadReportConverter.ToSignal(report));
                    Interlocked.Increment(ref _reports);
                    delay = _options.ReconnectDelay;
                }
                reason = "the server ended it";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                reason = $"{e.StatusCode}: {e.Status.Detail}";
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                reason = e.Message;
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            LoadSignalLog.StreamEnded(_logger, _instanceId, reason, delay);
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        _stop.Cancel();
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        if (Volatile.Read(ref _reportedId) is { } reported)
        {
            _aggregator.Remove(reported);
        }
    }
}
