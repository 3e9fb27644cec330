using Grpc.Core;
using Grpc.Health.V1;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.Internal;

namespace Shoal.Client.Cluster.Health;

/// <summary>
/// Calls <c>grpc.health.v1.Health/Check</c> on every connected endpoint each interval, over the
/// endpoint's own <see cref="Connections.IConnection.Invoker"/> (so it works on either transport),
/// and takes endpoints that answer NOT_SERVING, fail or time out out of the snapshot until a check
/// passes again. A server without the health service (UNIMPLEMENTED) counts as healthy.
/// </summary>
public sealed class ActiveHealthChecker : IAsyncDisposable
{
    private readonly ClusterDirectory _directory;
    private readonly HealthCheckOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _serviceName;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    /// <summary>Creates the checker; <see cref="Start"/> begins the rounds.</summary>
    public ActiveHealthChecker(ClusterDirectory directory, HealthCheckOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _serviceName = options.ServiceName ?? directory.Service;
    }

    /// <summary>Starts checking every <see cref="HealthCheckOptions.Interval"/> in the background.</summary>
    public void Start() => _loop ??= Task.Run(() => LoopAsync(_stopping.Token));

    /// <summary>Runs one round: checks every endpoint whose connection is ready, then republishes the snapshot if a verdict changed.</summary>
    public async Task CheckAllAsync(CancellationToken cancellationToken = default)
    {
        var endpoints = _directory.Snapshot.All.Where(e => e.IsConnectionReady).ToArray();
        var verdicts = await Task.WhenAll(endpoints.Select(e => CheckAsync(e, cancellationToken))).ConfigureAwait(false);
        var changed = false;
        for (var i = 0; i < endpoints.Length; i++)
        {
            if (endpoints[i].SetHealthy(verdicts[i].Healthy))
            {
                changed = true;
                ClusterLog.HealthChanged(_logger, _directory.Service, endpoints[i].ToString(), verdicts[i].Verdict);
            }
        }
        if (changed)
        {
            _directory.Refresh();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
        _stopping.Dispose();
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.Interval, _timeProvider, cancellationToken).ConfigureAwait(false);
            try
            {
                await CheckAllAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                ClusterLog.BackgroundFailed(_logger, _directory.Service, ex);
            }
        }
    }

    private async Task<(bool Healthy, string Verdict)> CheckAsync(ClusterEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            var client = new HealthClient(endpoint.Connection.Invoker);
            var deadline = _timeProvider.GetUtcNow().UtcDateTime + _options.Timeout;
            var response = await client.CheckAsync(new HealthCheckRequest { Service = _serviceName },
                new CallOptions(deadline: deadline, cancellationToken: linked.Token)).ResponseAsync.ConfigureAwait(false);
            var serving = response.Status == HealthCheckResponse.Types.ServingStatus.Serving;
            return (serving, response.Status.ToString());
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            return (true, "no health service (counted as healthy)");
        }
        catch (RpcException ex)
        {
            return (false, ex.Status.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, "timed out");
        }
    }
}
