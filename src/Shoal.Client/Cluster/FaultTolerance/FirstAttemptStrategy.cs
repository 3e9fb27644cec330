namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>
/// A strategy that starts with one ordinary attempt and acts only when it fails: failover retries,
/// failfast gives up, failsafe returns the default response, failback queues a background retry.
/// </summary>
/// <remarks>
/// Because the first attempt is always the same, the cluster makes it on its fast path (a pick and
/// a send, with no strategy machinery and no allocation beyond the call itself) and calls
/// <see cref="AfterFailureAsync"/> only when that attempt fails. Strategies that start with several
/// attempts (forking, broadcast, hedging) implement <see cref="IFaultToleranceStrategy"/> directly.
/// </remarks>
public abstract class FirstAttemptStrategy : IFaultToleranceStrategy
{
    /// <inheritdoc/>
    public async Task<AttemptResult<TResponse>> ExecuteAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(call);
        var first = await call.AttemptAsync().ConfigureAwait(false);
        return first.IsSuccess ? first : await AfterFailureAsync(call, first).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a failed first attempt of a method with <paramref name="policy"/> can end any other
    /// way than with its own status (a failure the server never started aside, see
    /// <see cref="RetriesNeverStarted"/>). When false, and the connection reports the end of its
    /// calls itself, the cluster hands the caller the attempt itself.
    /// </summary>
    /// <param name="policy">The method's policy.</param>
    public virtual bool ActsOnFailure(MethodPolicy policy) => true;

    /// <summary>
    /// Whether <see cref="AfterFailureAsync"/> sends again an attempt the server never started
    /// (<see cref="AttemptResult{TResponse}.NeverStarted"/>). When an attempt the cluster handed to
    /// the caller as it is (see <see cref="ActsOnFailure"/>) is refused that way, its connection
    /// offers it back (<see cref="Shoal.Connections.IRefusedCallObserver"/>) and the cluster runs
    /// <see cref="AfterFailureAsync"/> for it when this is true.
    /// </summary>
    /// <param name="policy">The method's policy.</param>
    public virtual bool RetriesNeverStarted(MethodPolicy policy) => false;

    /// <summary>The first attempt of <paramref name="call"/> failed with <paramref name="failed"/>: returns the call's final result. Never throws for a failed call.</summary>
    public abstract Task<AttemptResult<TResponse>> AfterFailureAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call, AttemptResult<TResponse> failed)
        where TRequest : class
        where TResponse : class;
}
