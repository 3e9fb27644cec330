using Shoal.Client.Cluster.Internal;

namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>
/// Failback, for fire-and-forget calls (notifications): one attempt; on failure the caller gets
/// the default response at once, and the call is queued and retried in the background with
/// exponential backoff (<see cref="MethodPolicy.FailbackBackoff"/>, doubling up to
/// <see cref="MethodPolicy.FailbackMaxBackoff"/>), up to <see cref="MethodPolicy.FailbackRetries"/>
/// times, each attempt with its own deadline. The queue is bounded
/// (<see cref="ClusterOptions.FailbackQueueCapacity"/>): a call that finds it full is dropped with
/// an error log. Background retries draw on the retry budget; one the budget refuses waits for
/// the next backoff. Pending retries end when the cluster is disposed.
/// </summary>
public sealed class FailbackStrategy : FirstAttemptStrategy, IDisposable
{
    private readonly StrategyContext _context;
    private readonly CancellationTokenSource _stopping = new();
    private int _pending;

    /// <summary>Creates the strategy.</summary>
    public FailbackStrategy(StrategyContext context)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
    }

    /// <summary>Calls waiting for a background retry.</summary>
    public int PendingCount => Volatile.Read(ref _pending);

    /// <inheritdoc/>
    public override Task<AttemptResult<TResponse>> AfterFailureAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call, AttemptResult<TResponse> failed)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (failed.IsDrop || call.CancellationToken.IsCancellationRequested)
        {
            return Task.FromResult(failed);
        }
        if (Interlocked.Increment(ref _pending) > _context.FailbackQueueCapacity)
        {
            Interlocked.Decrement(ref _pending);
            ClusterLog.FailbackDropped(call.Logger, call.Service, call.Method.FullName, "the failback queue is full");
            return Task.FromResult(failed);
        }
        ClusterLog.FailbackQueued(call.Logger, call.Service, call.Method.FullName, failed.Status.StatusCode);
        _ = RetryInBackgroundAsync(call);
        var fallback = call.TryCreateDefaultResponse();
        return Task.FromResult(fallback is null ? failed : AttemptResult<TResponse>.Success(fallback, null, null, failed.Endpoint));
    }

    /// <summary>Stops the pending background retries.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RetryInBackgroundAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call)
        where TRequest : class
        where TResponse : class
    {
        var policy = call.Policy;
        var backoff = policy.FailbackBackoff;
        var token = _stopping.Token;
        try
        {
            for (var attempt = 1; attempt <= policy.FailbackRetries; attempt++)
            {
                await Task.Delay(backoff, _context.TimeProvider, token).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, Math.Max(policy.FailbackMaxBackoff.Ticks, policy.FailbackBackoff.Ticks)));
                if (!call.TryTakeRetry())
                {
                    continue;
                }
                var result = await call.ForBackground(policy.FailbackAttemptTimeout).AttemptAsync(null, token).ConfigureAwait(false);
                if (result.IsSuccess || result.IsDrop)
                {
                    return;
                }
            }
            ClusterLog.FailbackDropped(call.Logger, call.Service, call.Method.FullName, $"still failing after {policy.FailbackRetries} background retries");
        }
        catch (OperationCanceledException)
        {
            // The cluster is being disposed.
        }
        catch (ObjectDisposedException)
        {
            // The cluster is being disposed.
        }
        catch (Exception ex)
        {
            ClusterLog.BackgroundFailed(_context.Logger, call.Service, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }
}

/// <summary>Creates <see cref="FailbackStrategy"/> for <c>failback</c>.</summary>
public sealed class FailbackStrategyFactory : IFaultToleranceStrategyFactory
{
    /// <inheritdoc/>
    public string Name => FaultToleranceNames.Failback;

    /// <inheritdoc/>
    public IFaultToleranceStrategy Create(StrategyContext context) => new FailbackStrategy(context);
}
