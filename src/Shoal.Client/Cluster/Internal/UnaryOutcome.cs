using Grpc.Core;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.FaultTolerance;

namespace Shoal.Client.Cluster.Internal;

/// <summary>
/// The rules that end a unary call, in one place for every path (straight to an observing
/// connection, the fast path, a strategy): the status an attempt's end means, whether it charges
/// its endpoint a failure, whether another attempt may follow, and the status the caller sees.
/// </summary>
/// <remarks>
/// <para>
/// The caller's own cancellation (or disposal) never charges an endpoint and is never retried. A
/// <c>Cancelled</c> the server sent is the server's answer and is judged like any other code: it
/// charges the endpoint only when configured as a failure code
/// (<see cref="OutlierDetection.OutlierEjectionOptions.FailureStatusCodes"/>; by default it is not),
/// and is retried only when the method's retryable codes list it. grpc-dotnet's retries make the
/// same split: a server's status is matched against the policy, the caller's cancellation ends the call.
/// </para>
/// <para>
/// <see cref="CompleteAttempt"/> is where every attempt's end is reported, and <see cref="Final{TResponse}"/>
/// where a call's result becomes what its caller sees (a call handed to the caller as the connection's
/// own ends with its only attempt).
/// </para>
/// </remarks>
internal sealed class UnaryOutcome
{
    private readonly StatusCodeSet _failureCodes;

    public UnaryOutcome(StatusCodeSet failureCodes)
    {
        _failureCodes = failureCodes;
    }

    /// <summary>The rules with the default failure codes.</summary>
    public static UnaryOutcome Default { get; } = new(StatusCodeSet.DefaultFailures);

    /// <summary>The status of a call its caller cancelled or disposed.</summary>
    public static readonly Status CancelledByCaller = new(StatusCode.Cancelled, "Call canceled by the client.");

    /// <summary>Whether an attempt that ended with <paramref name="code"/> counts against its endpoint.</summary>
    /// <param name="code">How the attempt ended.</param>
    /// <param name="cancelledByCaller">Whether the caller (or the cluster, for an attempt it abandoned) cancelled it.</param>
    public bool ChargesEndpoint(StatusCode code, bool cancelledByCaller)
        => _failureCodes.Contains(code) && !(code == StatusCode.Cancelled && cancelledByCaller);

    /// <summary>Reports the end of one attempt to its endpoint's tracker: the load feedback and the failure count.</summary>
    /// <param name="tracker">The endpoint's tracker.</param>
    /// <param name="elapsed">How long the attempt took; negative when it was not timed.</param>
    /// <param name="code">How it ended.</param>
    /// <param name="cancelledByCaller">Whether the caller cancelled it.</param>
    public void CompleteAttempt(ICallTracker tracker, TimeSpan elapsed, StatusCode code, bool cancelledByCaller)
        => tracker.Complete(elapsed, !ChargesEndpoint(code, cancelledByCaller));

    /// <summary>The result of an attempt on <paramref name="endpoint"/> that ended with <paramref name="exception"/>.</summary>
    /// <param name="exception">What the attempt threw.</param>
    /// <param name="endpoint">Where it was sent.</param>
    /// <param name="cancelled">Whether the attempt's token was cancelled (by the caller, the deadline or a disposal).</param>
    /// <param name="deadlinePassed">Whether the call's deadline has passed.</param>
    public static AttemptResult<TResponse> FailedAttempt<TResponse>(Exception exception, ClusterEndpoint endpoint, bool cancelled, bool deadlinePassed)
        where TResponse : class => exception switch
        {
            RpcException rpc => AttemptResult<TResponse>.Failure(rpc.Status, rpc.Trailers, endpoint),
            OperationCanceledException when cancelled => AttemptResult<TResponse>.Failure(deadlinePassed
                ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")
                : CancelledByCaller, endpoint: endpoint),
            // The connection went away under the call: the instance is unavailable, not the call wrong.
            ObjectDisposedException or IOException => AttemptResult<TResponse>.Failure(
                new Status(StatusCode.Unavailable, $"Connection to {endpoint.Address} failed: {exception.Message}", exception), endpoint: endpoint),
            _ => AttemptResult<TResponse>.Failure(
                new Status(StatusCode.Internal, $"The call to {endpoint.Address} failed: {exception.Message}", exception), endpoint: endpoint),
        };

    /// <summary>
    /// Whether a failed attempt may be followed by another, budget aside: not a drop; the method is
    /// idempotent and the code retryable, or the server never started the attempt (whatever the
    /// method and the code); the call is neither cancelled nor past its deadline.
    /// </summary>
    public static bool MayRetry<TResponse>(in AttemptResult<TResponse> failed, MethodPolicy policy, bool cancelled, bool deadlinePassed)
        where TResponse : class
        => !failed.IsSuccess && !failed.IsDrop
            && ((policy.Idempotent == true && policy.IsRetryable(failed.Status.StatusCode)) || failed.NeverStarted)
            && !cancelled && !deadlinePassed;

    /// <summary>
    /// What the caller sees: the strategy's <paramref name="result"/>, unless the call was cancelled
    /// or disposed (<paramref name="cancelled"/>) and failed meanwhile: that, not the last attempt's
    /// error, is why it ended.
    /// </summary>
    public static AttemptResult<TResponse> Final<TResponse>(in AttemptResult<TResponse> result, bool cancelled)
        where TResponse : class
        => !result.IsSuccess && cancelled && result.Status.StatusCode != StatusCode.Cancelled
            ? AttemptResult<TResponse>.Failure(CancelledByCaller, result.Trailers, result.Endpoint)
            : result;

    /// <summary>The result of a strategy that threw: a bug in it, never a failed call, so Internal.</summary>
    public static AttemptResult<TResponse> StrategyFailed<TResponse>(Exception exception)
        where TResponse : class
        => AttemptResult<TResponse>.Failure(new Status(StatusCode.Internal, $"The cluster client failed: {exception.Message}", exception));
}
