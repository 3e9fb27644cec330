using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.LoadBalancing;

namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>
/// Forking: the call goes to <see cref="MethodPolicy.Forks"/> different instances at once (as many
/// as are ready, if fewer); the first success wins and the other attempts are cancelled. When all
/// fail, the last failure is the call's. For reads where latency matters more than load. The
/// extra attempts are the point of the strategy, so they do not draw on the retry budget.
/// </summary>
public sealed class ForkingStrategy : IFaultToleranceStrategy
{
    /// <inheritdoc/>
    public async Task<AttemptResult<TResponse>> ExecuteAsync<TRequest, TResponse>(ClusterCall<TRequest, TResponse> call)
        where TRequest : class
        where TResponse : class
    {
        var forks = Math.Max(1, call.Policy.Forks);
        var picks = new List<PickResult>(forks);
        var chosen = new List<ClusterEndpoint>(forks);
        for (var i = 0; i < forks; i++)
        {
            var pick = await call.PickAsync(chosen).ConfigureAwait(false);
            if (pick.Type != PickResultType.Endpoint)
            {
                if (picks.Count == 0)
                {
                    return await call.AttemptOnAsync(pick).ConfigureAwait(false);
                }
                break;
            }
            if (chosen.Contains(pick.Endpoint!))
            {
                break;
            }
            chosen.Add(pick.Endpoint!);
            picks.Add(pick);
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken);
        var attempts = picks.Select(p => call.AttemptOnAsync(p, cancel.Token)).ToList();
        AttemptResult<TResponse> last = default;
        while (attempts.Count > 0)
        {
            var done = await Task.WhenAny(attempts).ConfigureAwait(false);
            attempts.Remove(done);
            last = await done.ConfigureAwait(false);
            if (last.IsSuccess)
            {
                // The losers end on their own once cancelled; their trackers still record them.
                await cancel.CancelAsync().ConfigureAwait(false);
                return last;
            }
        }
        return last;
    }
}

/// <summary>Creates <see cref="ForkingStrategy"/> for <c>forking</c>.</summary>
public sealed class ForkingStrategyFactory : IFaultToleranceStrategyFactory
{
    /// <inheritdoc/>
    public string Name => FaultToleranceNames.Forking;

    /// <inheritdoc/>
    public IFaultToleranceStrategy Create(StrategyContext context) => new ForkingStrategy();
}
