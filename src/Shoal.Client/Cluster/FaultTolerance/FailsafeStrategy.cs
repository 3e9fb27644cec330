using Shoal.Client.Cluster.Internal;

namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>
/// Failsafe: one attempt; an error is logged and swallowed, and the caller gets the method's
/// default response (the response marshaller's reading of an empty payload: for Protobuf the
/// message with every field at its default) with status OK. For calls whose failure must not
/// disturb the caller, such as audit logging. A call the caller cancelled still fails.
/// </summary>
public sealed class FailsafeStrategy : FirstAttemptStrategy
{
    /// <inheritdoc/>
    public override Task<AttemptResult<TResponse>> AfterFailureAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call, AttemptResult<TResponse> failed)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.CancellationToken.IsCancellationRequested)
        {
            return Task.FromResult(failed);
        }
        var fallback = call.TryCreateDefaultResponse();
        if (fallback is null)
        {
            return Task.FromResult(failed);
        }
        ClusterLog.FailsafeSwallowed(call.Logger, call.Service, call.Method.FullName, failed.Status.StatusCode);
        return Task.FromResult(AttemptResult<TResponse>.Success(fallback, null, null, failed.Endpoint));
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
