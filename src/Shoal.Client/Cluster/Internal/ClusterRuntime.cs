using Grpc.Core;
using Microsoft.Extensions.Logging;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Client.Cluster.LoadBalancing.Internal;

namespace Shoal.Client.Cluster.Internal;

/// <summary>The parts of one cluster a call needs: the current picker, the directory, the retry budget, the clock.</summary>
internal sealed class ClusterRuntime
{
    private readonly StatusCodeSet _failureCodes;

    public ClusterRuntime(string service, ClusterDirectory directory, BalancerHost balancer, RetryBudget budget,
        StatusCodeSet failureCodes, TimeSpan waitForReadyTimeout, TimeProvider timeProvider, ILogger logger)
    {
        Service = service;
        Directory = directory;
        Balancer = balancer;
        Budget = budget;
        WaitForReadyTimeout = waitForReadyTimeout;
        TimeProvider = timeProvider;
        Logger = logger;
        _failureCodes = failureCodes;
    }

    public string Service { get; }

    public ClusterDirectory Directory { get; }

    public BalancerHost Balancer { get; }

    public RetryBudget Budget { get; }

    public TimeSpan WaitForReadyTimeout { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    /// <summary>Whether <paramref name="code"/> counts against the endpoint that returned it.</summary>
    public bool IsEndpointFailure(StatusCode code) => _failureCodes.Contains(code);

    /// <summary>
    /// Picks for one attempt; while the picker says "queue" (nothing ready) it waits for the next
    /// picker, until <paramref name="deadline"/> or the wait-for-ready timeout counted from
    /// <paramref name="startTimestamp"/>, then fails with Unavailable.
    /// </summary>
    public async ValueTask<PickResult> PickAsync(PickContext context, DateTime? deadline, long startTimestamp, CancellationToken token)
    {
        while (true)
        {
            var waitForChange = Balancer.WaitForChangeAsync();
            var result = Balancer.Current.Pick(context);
            if (result.Type != PickResultType.Queue)
            {
                return result;
            }
            if (Directory.Refusal is { } refusal)
            {
                return PickResult.ForFailure(refusal);
            }
            var remaining = RemainingWait(deadline, startTimestamp);
            if (remaining <= TimeSpan.Zero)
            {
                return PickResult.ForFailure(NoReadyInstance());
            }
            if (token.IsCancellationRequested)
            {
                return PickResult.ForFailure(new Status(StatusCode.Cancelled, "The call was cancelled while waiting for a ready instance."));
            }
            try
            {
                await Task.WhenAny(waitForChange, Directory.WatchEnded).WaitAsync(remaining, TimeProvider, token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Checked again at the top: the wait is over.
            }
            catch (OperationCanceledException)
            {
                // Cancelled by the caller: reported at the top.
            }
        }
    }

    private TimeSpan RemainingWait(DateTime? deadline, long startTimestamp)
    {
        var remaining = WaitForReadyTimeout - TimeProvider.GetElapsedTime(startTimestamp);
        if (deadline is { } value && value != DateTime.MaxValue)
        {
            var untilDeadline = value - TimeProvider.GetUtcNow().UtcDateTime;
            if (untilDeadline < remaining)
            {
                remaining = untilDeadline;
            }
        }
        return remaining;
    }

    /// <summary>The status of a call its caller cancelled or disposed.</summary>
    public static readonly Status CancelledByCaller = new(StatusCode.Cancelled, "Call canceled by the client.");

    /// <summary>
    /// The outcome of a unary call: its strategy's <paramref name="result"/>, unless the call was
    /// cancelled or disposed (<paramref name="cancelled"/>) and failed meanwhile: that, not the last
    /// attempt's error, is why it ended.
    /// </summary>
    public static AttemptResult<TResponse> FinalResult<TResponse>(in AttemptResult<TResponse> result, bool cancelled)
        where TResponse : class
        => !result.IsSuccess && cancelled && result.Status.StatusCode != StatusCode.Cancelled
            ? AttemptResult<TResponse>.Failure(CancelledByCaller, result.Trailers, result.Endpoint)
            : result;

    /// <summary>The result of a strategy that threw: a bug in it, never a failed call, so Internal.</summary>
    public static AttemptResult<TResponse> StrategyFailed<TResponse>(Exception exception)
        where TResponse : class
        => AttemptResult<TResponse>.Failure(new Status(StatusCode.Internal, $"The cluster client failed: {exception.Message}", exception));

    /// <summary>Whether <paramref name="deadline"/> has passed.</summary>
    public bool IsPast(DateTime? deadline) => deadline is { } value && value != DateTime.MaxValue && TimeProvider.GetUtcNow().UtcDateTime >= value;

    /// <summary>The result of an attempt on <paramref name="endpoint"/> that ended with <paramref name="exception"/>.</summary>
    /// <param name="exception">What the attempt threw.</param>
    /// <param name="endpoint">Where it was sent.</param>
    /// <param name="cancelled">Whether the attempt's token was cancelled (by the caller, the deadline or a disposal).</param>
    /// <param name="deadline">The call's deadline.</param>
    public AttemptResult<TResponse> FailedAttempt<TResponse>(Exception exception, ClusterEndpoint endpoint, bool cancelled, DateTime? deadline)
        where TResponse : class => exception switch
        {
            RpcException rpc => AttemptResult<TResponse>.Failure(rpc.Status, rpc.Trailers, endpoint),
            OperationCanceledException when cancelled => AttemptResult<TResponse>.Failure(IsPast(deadline)
                ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")
                : CancelledByCaller, endpoint: endpoint),
            // The connection went away under the call: the instance is unavailable, not the call wrong.
            ObjectDisposedException or IOException => AttemptResult<TResponse>.Failure(
                new Status(StatusCode.Unavailable, $"Connection to {endpoint.Address} failed: {exception.Message}", exception), endpoint: endpoint),
            _ => AttemptResult<TResponse>.Failure(
                new Status(StatusCode.Internal, $"The call to {endpoint.Address} failed: {exception.Message}", exception), endpoint: endpoint),
        };

    /// <summary>Reports the end of an attempt started at <paramref name="startTimestamp"/> to its tracker.</summary>
    /// <param name="tracker">The endpoint's tracker.</param>
    /// <param name="startTimestamp">When the attempt was sent (a <see cref="TimeProvider.GetTimestamp"/> value).</param>
    /// <param name="code">How it ended.</param>
    /// <param name="cancelled">Whether the caller cancelled it: a cancelled call says nothing about the endpoint.</param>
    public void CompleteAttempt(ICallTracker tracker, long startTimestamp, StatusCode code, bool cancelled)
    {
        var endpointOk = !IsEndpointFailure(code) || (code == StatusCode.Cancelled && cancelled);
        tracker.Complete(TimeProvider.GetElapsedTime(startTimestamp), endpointOk);
    }

    /// <summary>The status of a call that found no ready instance in time.</summary>
    public Status NoReadyInstance() => new(StatusCode.Unavailable, $"no ready instance of {Service}");
}
