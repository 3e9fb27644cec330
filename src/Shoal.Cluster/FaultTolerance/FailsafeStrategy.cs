using Shoal.Cluster.Internal;

namespace Shoal.Cluster.FaultTolerance;

/// <summary>
/// Failsafe: one attempt; an error is logged and swallowed, and the caller gets the method's
/// default response (the response marshaller's reading of an empty payload: for Protobuf the
/// message with every field at its default) with status OK. For calls whose failure must not
/// disturb the caller, such as audit logging. A call the caller cancelled still fails.
/// </summary>
public sealed class FailsafeStrategy : IFaultToleranceStrategy
{
    /// <inheritdoc/>
    public async Task<AttemptResult<TResponse>> ExecuteAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call)
        where TRequest : class
        where TResponse : class
    {
        var result = await call.AttemptAsync().ConfigureAwait(false);
        if (result.IsSuccess || call.CancellationToken.IsCancellationRequested)
        {
            return result;
        }
        var fallback = call.TryCreateDefaultResponse();
        if (fallback is null)
        {
            return result;
        }
        ClusterLog.FailsafeSwallowed(call.Logger, call.Service, call.Method.FullName, result.Status.StatusCode);
        return AttemptResult<TResponse>.Success(fallback, null, null, result.Endpoint);
    }
}

/// <summary>Creates <see cref="FailsafeStrategy"/> for <c>failsafe</c>.</summary>
public sealed class FailsafeStrategyFactory : IFaultToleranceStrategyFactory
{
    /// <inheritdoc/>
    public string Name => FaultToleranceNames.Failsafe;

    /// <inheritdoc/>
    public IFaultToleranceStrategy Create(StrategyContext context) => new FailsafeStrategy();
}
