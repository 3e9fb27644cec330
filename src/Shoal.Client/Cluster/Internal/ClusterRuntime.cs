using Grpc.Core;
using Microsoft.Extensions.Logging;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Client.Cluster.LoadBalancing.Internal;

namespace Shoal.Client.Cluster.Internal;

/// <summary>The parts of one cluster a call needs: the current picker, the directory, the retry budget, the outcome rules, the clock.</summary>
internal sealed class ClusterRuntime
{
    public ClusterRuntime(string service, ClusterDirectory directory, BalancerHost balancer, RetryBudget budget,
        UnaryOutcome outcome, TimeSpan waitForReadyTimeout, TimeProvider timeProvider, ILogger logger)
    {
        Service = service;
        Directory = directory;
        Balancer = balancer;
        Budget = budget;
        WaitForReadyTimeout = waitForReadyTimeout;
        TimeProvider = timeProvider;
        Logger = logger;
        Outcome = outcome;
    }

    public string Service { get; }

    public ClusterDirectory Directory { get; }

    public BalancerHost Balancer { get; }

    public RetryBudget Budget { get; }

    public TimeSpan WaitForReadyTimeout { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    /// <summary>The rules that end a unary call, with this cluster's failure codes.</summary>
    public UnaryOutcome Outcome { get; }

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

    /// <summary>Whether <paramref name="deadline"/> has passed.</summary>
    public bool IsPast(DateTime? deadline) => deadline is { } value && value != DateTime.MaxValue && TimeProvider.GetUtcNow().UtcDateTime >= value;

    /// <summary>The status of a call that found no ready instance in time.</summary>
    public Status NoReadyInstance() => new(StatusCode.Unavailable, $"no ready instance of {Service}");
}
