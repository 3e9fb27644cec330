namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>
/// What a cluster does about failures of a unary call (dubbo-go's <c>cluster</c> layer): how many
/// attempts, on which endpoints, in sequence or in parallel. A strategy picks through
/// <see cref="ClusterCall{TRequest, TResponse}"/>, which also holds the deadline, the retry
/// budget and the method's <see cref="MethodPolicy"/>.
/// </summary>
public interface IFaultToleranceStrategy
{
    /// <summary>Runs <paramref name="call"/> to its final result; never throws for a failed call.</summary>
    Task<AttemptResult<TResponse>> ExecuteAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call)
        where TRequest : class
        where TResponse : class;
}
