namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>Failfast: one attempt, its error is the call's error. For non-idempotent writes.</summary>
public sealed class FailfastStrategy : FirstAttemptStrategy
{
    /// <inheritdoc/>
    public override bool ActsOnFailure(MethodPolicy policy) => false;

    /// <inheritdoc/>
    public override Task<AttemptResult<TResponse>> AfterFailureAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call, AttemptResult<TResponse> failed)
        => Task.FromResult(failed);
}

/// <summary>Creates <see cref="FailfastStrategy"/> for <c>failfast</c>.</summary>
public sealed class FailfastStrategyFactory : IFaultToleranceStrategyFactory
{
    /// <inheritdoc/>
    public string Name => FaultToleranceNames.Failfast;

    /// <inheritdoc/>
    public IFaultToleranceStrategy Create(StrategyContext context) => new FailfastStrategy();
}
