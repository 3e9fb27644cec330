using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.Internal;

namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>
/// Failover (the default): when an attempt fails with a retryable code (Unavailable by default)
/// and the method is idempotent, try again on a different instance, up to
/// <see cref="MethodPolicy.Retries"/> times, within the call's deadline and the retry budget. An
/// attempt the server never started (<see cref="AttemptResult{TResponse}.NeverStarted"/>: refused
/// while shutting down, or never sent) is retried the same way whether or not the method is
/// idempotent. An attempt that never reached an instance (no ready instance in time) is not
/// retried: its wait already used the time a retry would have.
/// </summary>
public sealed class FailoverStrategy : FirstAttemptStrategy
{
    /// <summary>Idempotent methods with retries act on any retryable failure.</summary>
    /// <param name="policy">The method's policy.</param>
    public override bool ActsOnFailure(MethodPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Idempotent == true && policy.Retries > 0;
    }

    /// <summary>Every method with retries: a call the server never started is retried whether or not the method is idempotent.</summary>
    /// <param name="policy">The method's policy.</param>
    public override bool RetriesNeverStarted(MethodPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Retries > 0;
    }

    /// <inheritdoc/>
    public override async Task<AttemptResult<TResponse>> AfterFailureAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call, AttemptResult<TResponse> failed)
    {
        ArgumentNullException.ThrowIfNull(call);
        var result = failed;
        List<ClusterEndpoint>? tried = null;
        for (var retry = 0; retry < call.Policy.Retries && !result.IsSuccess; retry++)
        {
            if (result.Endpoint is null || !call.IsRetryable(result) || !call.TryTakeRetry())
            {
                break;
            }
            (tried ??= []).Add(result.Endpoint);
            ClusterLog.Retrying(call.Logger, call.Service, call.Method.FullName, result.Endpoint.ToString(), result.Status.StatusCode);
            if (call.Policy.RetryBackoff > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(call.Policy.RetryBackoff, call.TimeProvider, call.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            result = await call.AttemptAsync(tried).ConfigureAwait(false);
        }
        return result;
    }
}

/// <summary>Creates <see cref="FailoverStrategy"/> for <c>failover</c>.</summary>
public sealed class FailoverStrategyFactory : IFaultToleranceStrategyFactory
{
    /// <inheritdoc/>
    public string Name => FaultToleranceNames.Failover;

    /// <inheritdoc/>
    public IFaultToleranceStrategy Create(StrategyContext context) => new FailoverStrategy();
}
