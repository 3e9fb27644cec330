namespace Shoal.Cluster.FaultTolerance;

/// <summary>Failfast: one attempt, its error is the call's error. For non-idempotent writes.</summary>
public sealed class FailfastStrategy : IFaultToleranceStrategy
{
    /// <inheritdoc/>
    public Task<AttemptResult<TResponse>> ExecuteAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call)
        where TRequest : class
        where TResponse : class
        => call.AttemptAsync();
}

/// <summary>Creates <see cref="FailfastStrategy"/> for <c>failfast</c>.</summary>
public sealed class FailfastStrategyFactory : IFaultToleranceStrategyFactory
{
    /// <inheritdoc/>
    public string Name => FaultToleranceNames.Failfast;

    /// <inheritdoc/>
    public IFaultToleranceStrategy Create(StrategyContext context) => new FailfastStrategy();
}
