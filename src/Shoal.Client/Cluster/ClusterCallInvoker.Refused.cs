using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.Internal;
using Shoal.Connections;

namespace Shoal.Client.Cluster;

/// <summary>
/// Unary calls handed to the caller as the connection's own call (nothing but counting to do after
/// them) that the server then refused before starting them: the connection offers them back, and
/// the method's strategy runs for them as if the cluster had made the attempt itself.
/// </summary>
public sealed partial class ClusterCallInvoker
{
    bool IRefusedCallRedirector.TryRedirect<TRequest, TResponse>(ClusterEndpoint from, IRefusedUnaryCall<TRequest, TResponse> call)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return false;
        }
        var (policy, strategy) = _policies.Resolve(call.Method);
        if (strategy is not FirstAttemptStrategy firstAttempt || !firstAttempt.RetriesNeverStarted(policy))
        {
            return false;
        }
        var cluster = new ClusterCall<TRequest, TResponse>(_runtime, call.Method, call.Host, call.Options, call.Request, policy);
        _ = RetryRefusedAsync(firstAttempt, cluster, AttemptResult<TResponse>.Failure(call.Refusal, endpoint: from), call);
        return true;
    }

    private static async Task RetryRefusedAsync<TRequest, TResponse>(FirstAttemptStrategy strategy, ClusterCall<TRequest, TResponse> call,
        AttemptResult<TResponse> refused, IRefusedUnaryCall<TRequest, TResponse> original)
        where TRequest : class
        where TResponse : class
    {
        AttemptResult<TResponse> result;
        try
        {
            result = await strategy.AfterFailureAsync(call, refused).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            result = UnaryOutcome.StrategyFailed<TResponse>(ex);
        }
        result = UnaryOutcome.Final(result, call.CancellationToken.IsCancellationRequested);
        if (result.IsSuccess)
        {
            original.Complete(result.Response!, result.Headers, result.Trailers);
        }
        else
        {
            original.Fail(result.Status, result.Trailers);
        }
    }
}
