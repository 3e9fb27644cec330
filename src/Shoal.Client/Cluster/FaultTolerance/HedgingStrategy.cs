using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.LoadBalancing;

namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>
/// Hedging (idempotent methods only): the first attempt goes out; if it has not answered after
/// <see cref="MethodPolicy.HedgingDelay"/>, another goes to a different instance, and so on up to
/// <see cref="MethodPolicy.MaxHedgedAttempts"/> attempts. The first success wins and the rest
/// are cancelled. A failure with a retryable code sends the next attempt at once; any other
/// failure ends the call. Hedges go only to instances not yet tried by the call. Every attempt after the first draws on the retry budget and none starts
/// after the call's deadline. A method not marked idempotent gets one attempt.
/// </summary>
public sealed class HedgingStrategy : IFaultToleranceStrategy
{
    /// <inheritdoc/>
    public async Task<AttemptResult<TResponse>> ExecuteAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call)
        where TRequest : class
        where TResponse : class
    {
        var maxAttempts = Math.Max(1, call.Policy.MaxHedgedAttempts);
        if (call.Policy.Idempotent != true || maxAttempts == 1)
        {
            return await call.AttemptAsync().ConfigureAwait(false);
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken);
        try
        {
            var first = await call.PickAsync(null, cancel.Token).ConfigureAwait(false);
            if (first.Type != PickResultType.Endpoint)
            {
                return await call.AttemptOnAsync(first).ConfigureAwait(false);
            }
            var used = new List<ClusterEndpoint>(maxAttempts) { first.Endpoint! };
            var outstanding = new List<Task<AttemptResult<TResponse>>>(maxAttempts) { call.AttemptOnAsync(first, cancel.Token) };
            Task? hedgeTimer = Task.Delay(call.Policy.HedgingDelay, call.TimeProvider, cancel.Token);
            AttemptResult<TResponse> last = default;
            while (outstanding.Count > 0)
            {
                var any = await Task.WhenAny(hedgeTimer is null ? outstanding : [.. outstanding, hedgeTimer]).ConfigureAwait(false);
                if (any == hedgeTimer)
                {
                    hedgeTimer = null;
                    if (await TrySendAsync(call, used, outstanding, maxAttempts, cancel.Token).ConfigureAwait(false) && used.Count < maxAttempts)
                    {
                        hedgeTimer = Task.Delay(call.Policy.HedgingDelay, call.TimeProvider, cancel.Token);
                    }
                    continue;
                }
                var finished = (Task<AttemptResult<TResponse>>)any;
                outstanding.Remove(finished);
                last = await finished.ConfigureAwait(false);
                if (last.IsSuccess || !call.IsRetryable(last))
                {
                    return last;
                }
                if (outstanding.Count == 0)
                {
                    hedgeTimer = null;
                    await TrySendAsync(call, used, outstanding, maxAttempts, cancel.Token).ConfigureAwait(false);
                }
            }
            return last;
        }
        finally
        {
            // Losers and a pending hedge timer end here; their results are not awaited.
            await cancel.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task<bool> TrySendAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call, List<ClusterEndpoint> used,
        List<Task<AttemptResult<TResponse>>> outstanding, int maxAttempts, CancellationToken token)
        where TRequest : class
        where TResponse : class
    {
        if (used.Count >= maxAttempts || call.IsDeadlineExceeded || token.IsCancellationRequested)
        {
            return false;
        }
        var pick = await call.PickAsync(used, token).ConfigureAwait(false);
        // A hedge on an instance already working on the call would only add load there.
        if (pick.Type != PickResultType.Endpoint || used.Contains(pick.Endpoint!) || !call.TryTakeRetry())
        {
            return false;
        }
        used.Add(pick.Endpoint!);
        outstanding.Add(call.AttemptOnAsync(pick, token));
        return true;
    }
}

/// <summary>Creates <see cref="HedgingStrategy"/> for <c>hedging</c>.</summary>
public sealed class HedgingStrategyFactory : IFaultToleranceStrategyFactory
{
    /// <inheritdoc/>
    public string Name => FaultToleranceNames.Hedging;

    /// <inheritdoc/>
    public IFaultToleranceStrategy Create(StrategyContext context) => new HedgingStrategy();
}
