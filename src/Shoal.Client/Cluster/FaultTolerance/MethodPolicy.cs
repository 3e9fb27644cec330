using Grpc.Core;

namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>
/// How calls to one method (or one service's methods) are made fault tolerant: the strategy and
/// its options. Bound from the <c>Methods</c> section of <see cref="ClusterOptions"/>, keyed by
/// <c>/pkg.Service/Method</c>, <c>pkg.Service/*</c> or <c>*</c>.
/// </summary>
public sealed class MethodPolicy
{
    /// <summary>The strategy name (<see cref="FaultToleranceNames"/>). Default <c>failover</c>.</summary>
    public string Strategy { get; set; } = FaultToleranceNames.Default;

    /// <summary>
    /// Whether calling the method twice is safe. Failover and hedging send a second attempt that
    /// may run the handler again only for idempotent methods. Null (the default) means "as the
    /// method's contract says": idempotent when its <c>.proto</c> sets the standard option
    /// <c>idempotency_level</c> to <c>NO_SIDE_EFFECTS</c> or <c>IDEMPOTENT</c>, otherwise not.
    /// True or false here overrides the contract.
    /// </summary>
    /// <remarks>
    /// The policy a strategy sees (<see cref="ClusterCall{TRequest, TResponse}.Policy"/>) has it
    /// resolved to true or false. A call the server never started is retried by failover whatever
    /// this says (see <see cref="AttemptResult{TResponse}.NeverStarted"/>).
    /// </remarks>
    public bool? Idempotent { get; set; }

    /// <summary>Failover: attempts after the first (each on a different instance while one is left). Default 2.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>
    /// Failover and hedging: the codes that are retried; empty (the default) means Unavailable
    /// only. DeadlineExceeded is not in the default: the call's own deadline has passed by then,
    /// and a per-attempt timeout belongs to the caller.
    /// </summary>
    /// <remarks>Empty by default so that a list bound from configuration replaces the default instead of adding to it.</remarks>
    public IList<StatusCode> RetryableStatusCodes { get; set; } = [];

    /// <summary>Failover: wait between two attempts (zero: retry at once on another instance). Default 0.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.Zero;

    /// <summary>Forking: how many instances are called in parallel. Default 2.</summary>
    public int Forks { get; set; } = 2;

    /// <summary>Hedging: how long to wait for the first attempt before sending the next. Default 50 ms.</summary>
    public TimeSpan HedgingDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Hedging: the most attempts in flight for one call, the first included. Default 2.</summary>
    public int MaxHedgedAttempts { get; set; } = 2;

    /// <summary>Failback: background retries before the call is dropped. Default 3.</summary>
    public int FailbackRetries { get; set; } = 3;

    /// <summary>Failback: the wait before the first background retry; doubled after each. Default 1 s.</summary>
    public TimeSpan FailbackBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Failback: the longest wait between background retries. Default 30 s.</summary>
    public TimeSpan FailbackMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failback: the deadline of each background attempt (the caller's deadline has long passed). Default 5 s.</summary>
    public TimeSpan FailbackAttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A copy of this policy with <see cref="Idempotent"/> set to <paramref name="idempotent"/>.</summary>
    internal MethodPolicy WithIdempotent(bool idempotent)
    {
        var copy = (MethodPolicy)MemberwiseClone();
        copy.Idempotent = idempotent;
        return copy;
    }

    /// <summary>Whether <paramref name="code"/> is retried by failover.</summary>
    public bool IsRetryable(StatusCode code)
    {
        if (RetryableStatusCodes is not { Count: > 0 })
        {
            return code == StatusCode.Unavailable;
        }
        foreach (var retryable in RetryableStatusCodes)
        {
            if (retryable == code)
            {
                return true;
            }
        }
        return false;
    }
}
