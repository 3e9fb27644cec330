using Grpc.Core;
using Microsoft.Extensions.Logging;
using Shoal.Connections;

namespace Shoal.Client.Cluster.Endpoints.Internal;

/// <summary>
/// Watches one endpoint's load reports for as long as the directory keeps the endpoint: waits for
/// its connection to be ready, reads the reporter's stream into <see cref="ClusterEndpoint.ReportServerLoad"/>,
/// and watches again with jittered exponential backoff (1 s doubling to 30 s, reset by a report)
/// when the stream ends or fails. An Unimplemented answer stops it for good.
/// </summary>
internal sealed class ServerLoadWatcher : IAsyncDisposable
{
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly ClusterEndpoint _endpoint;
    private readonly IEndpointLoadReporter _reporter;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly string _service;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task _loop = Task.CompletedTask;
    private bool _started;
    private bool _disposed;

    public ServerLoadWatcher(string service, ClusterEndpoint endpoint, IEndpointLoadReporter reporter, TimeProvider timeProvider, Random random, ILogger logger)
    {
        _service = service;
        _endpoint = endpoint;
        _reporter = reporter;
        _timeProvider = timeProvider;
        _random = random;
        _logger = logger;
    }

    /// <summary>Completes when the watcher stopped: disposed, or the instance has no load reports.</summary>
    public Task Completion => _loop;

    public void Start()
    {
        lock (_gate)
        {
            if (_started || _disposed)
            {
                return;
            }
            _started = true;
            _loop = Task.Run(() => RunAsync(_stopping.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ServerLoadLog.StopFailed(_logger, _service, _endpoint.ToString(), ex);
        }
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = InitialBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            Exception? failure = null;
            try
            {
                await WaitForReadyAsync(cancellationToken).ConfigureAwait(false);
                await foreach (var load in _reporter.WatchAsync(_endpoint.Connection, cancellationToken).ConfigureAwait(false))
                {
                    if (load is not null)
                    {
                        _endpoint.ReportServerLoad(load);
                        backoff = InitialBackoff;
                    }
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
            {
                _endpoint.MarkServerLoadUnsupported();
                ServerLoadLog.Unimplemented(_logger, _service, _endpoint.ToString());
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            var delay = Jitter(backoff);
            if (failure is null)
            {
                ServerLoadLog.WatchEnded(_logger, _service, _endpoint.ToString(), delay);
            }
            else
            {
                ServerLoadLog.WatchFailed(_logger, _service, _endpoint.ToString(), delay, failure);
            }
            try
            {
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>Between 80% and 100% of <paramref name="backoff"/>, so many clients do not reconnect in step.</summary>
    private TimeSpan Jitter(TimeSpan backoff)
    {
        // The cluster's random source is safe for concurrent use in production (Random.Shared).
        var share = 0.8 + (0.2 * _random.NextDouble());
        return TimeSpan.FromTicks((long)(backoff.Ticks * share));
    }

    private async Task WaitForReadyAsync(CancellationToken cancellationToken)
    {
        var connection = _endpoint.Connection;
        if (connection.State == ConnectionState.Ready)
        {
            return;
        }
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnStateChanged(IConnection _, ConnectionState state)
        {
            if (state == ConnectionState.Ready)
            {
                ready.TrySetResult();
            }
        }
        connection.StateChanged += OnStateChanged;
        try
        {
            if (connection.State == ConnectionState.Ready)
            {
                return;
            }
            await ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connection.StateChanged -= OnStateChanged;
        }
    }
}
