namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>
/// Broadcast: the call goes to every ready instance in parallel (ignoring zone preference); it
/// fails if any attempt fails (with the first failure in endpoint order), otherwise the last
/// endpoint's response is returned. For cache invalidation and configuration pushes. When no
/// instance is ready it waits for one like any call.
/// </summary>
public sealed class BroadcastStrategy : IFaultToleranceStrategy
{
    /// <inheritdoc/>
    public async Task<AttemptResult<TResponse>> ExecuteAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call)
        where TRequest : class
        where TResponse : class
    {
        var endpoints = call.ReadyEndpoints;
        if (endpoints.IsEmpty)
        {
            var pick = await call.PickAsync().ConfigureAwait(false);
            if (pick.Type != LoadBalancing.PickResultType.Endpoint)
            {
                return await call.AttemptOnAsync(pick).ConfigureAwait(false);
            }
            endpoints = call.ReadyEndpoints;
            if (endpoints.IsEmpty)
            {
                return await call.AttemptOnAsync(pick).ConfigureAwait(false);
            }
        }
        var results = await Task.WhenAll(endpoints.Select(e => call.AttemptOnAsync(e))).ConfigureAwait(false);
        foreach (var result in results)
        {
            if (!result.IsSuccess)
            {
                return result;
            }
        }
        return results[^1];
    }
}

/// <summary>Creates <see cref="BroadcastStrategy"/> for <c>broadcast</c>.</summary>
public sealed class BroadcastStrategyFactory : IFaultToleranceStrategyFactory
{
    /// <inheritdoc/>
    public string Name => FaultToleranceNames.Broadcast;

    /// <inheritdoc/>
    public IFaultToleranceStrategy Create(StrategyContext context) => new BroadcastStrategy();
}
