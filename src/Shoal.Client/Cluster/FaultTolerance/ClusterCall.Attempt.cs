using Grpc.Core;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.Internal;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Connections;
using Shoal.Telemetry;

namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>Attempts: pick (waiting for a ready endpoint when there is none), send, record load feedback.</summary>
public sealed partial class ClusterCall<TRequest, TResponse>
{
    /// <summary>How often a pick is repeated, without counting as a retry, when the picked connection stopped being ready in between.</summary>
    private const int TransparentRepicks = 3;

    /// <summary>
    /// Picks an endpoint (avoiding <paramref name="excluded"/> while others are ready) and sends
    /// one attempt to it. When nothing is ready the pick waits for a new picker until the call's
    /// deadline or the cluster's wait-for-ready timeout, then fails with Unavailable.
    /// </summary>
    public async Task<AttemptResult<TResponse>> AttemptAsync(IReadOnlyList<ClusterEndpoint>? excluded = null, CancellationToken cancellationToken = default)
    {
        var token = cancellationToken.CanBeCanceled ? cancellationToken : CancellationToken;
        for (var i = 0; ; i++)
        {
            var pick = await PickCoreAsync(excluded, token).ConfigureAwait(false);
            switch (pick.Type)
            {
                case PickResultType.Drop:
                    return AttemptResult<TResponse>.Failure(pick.Status, isDrop: true);
                case PickResultType.Failure:
                case PickResultType.Queue:
                    return AttemptResult<TResponse>.Failure(pick.Status);
            }
            var endpoint = pick.Endpoint!;
            if (endpoint.Connection.State != ConnectionState.Ready && i < TransparentRepicks)
            {
                // The snapshot is a moment old; nothing was sent, so picking again is always safe.
                await Task.Yield();
                continue;
            }
            return await SendAsync(endpoint, pick.Tracker!, token).ConfigureAwait(false);
        }
    }

    /// <summary>Sends one attempt to <paramref name="endpoint"/> (broadcast uses it to reach every endpoint).</summary>
    public Task<AttemptResult<TResponse>> AttemptOnAsync(ClusterEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return SendAsync(endpoint, endpoint, cancellationToken.CanBeCanceled ? cancellationToken : CancellationToken);
    }

    /// <summary>Sends one attempt to the endpoint of <paramref name="pick"/>, reporting to its tracker.</summary>
    public Task<AttemptResult<TResponse>> AttemptOnAsync(PickResult pick, CancellationToken cancellationToken = default)
    {
        if (pick.Type != PickResultType.Endpoint)
        {
            return Task.FromResult(AttemptResult<TResponse>.Failure(pick.Status, isDrop: pick.Type == PickResultType.Drop));
        }
        return SendAsync(pick.Endpoint!, pick.Tracker!, cancellationToken.CanBeCanceled ? cancellationToken : CancellationToken);
    }

    /// <summary>
    /// Picks an endpoint without sending anything (forking picks several first). Waits for a
    /// ready endpoint like <see cref="AttemptAsync"/>; the result is a failure when none came.
    /// </summary>
    public ValueTask<PickResult> PickAsync(IReadOnlyList<ClusterEndpoint>? excluded = null, CancellationToken cancellationToken = default)
        => PickCoreAsync(excluded, cancellationToken.CanBeCanceled ? cancellationToken : CancellationToken);

    private ValueTask<PickResult> PickCoreAsync(IReadOnlyList<ClusterEndpoint>? excluded, CancellationToken token)
        => _runtime.PickAsync(new PickContext(Method.FullName, Options.Headers, excluded), Options.Deadline, _startTimestamp, token);

    private async Task<AttemptResult<TResponse>> SendAsync(ClusterEndpoint endpoint, ICallTracker tracker, CancellationToken token)
    {
        var start = _runtime.TimeProvider.GetTimestamp();
        tracker.Start();
        var attempt = AttemptTracing.Start(Method.FullName, endpoint);
        AttemptResult<TResponse> result;
        try
        {
            var options = token == Options.CancellationToken ? Options : Options.WithCancellationToken(token);
            using var call = endpoint.Connection.Invoker.AsyncUnaryCall(Method, Host, options, Request);
            var response = await call.ResponseAsync.ConfigureAwait(false);
            var headers = call.ResponseHeadersAsync.IsCompletedSuccessfully ? call.ResponseHeadersAsync.Result : null;
            result = AttemptResult<TResponse>.Success(response, headers, call.GetTrailers(), endpoint);
        }
        catch (Exception ex)
        {
            result = UnaryOutcome.FailedAttempt<TResponse>(ex, endpoint, token.IsCancellationRequested, _runtime.IsPast(Options.Deadline));
        }
        _runtime.Outcome.CompleteAttempt(tracker, _runtime.TimeProvider.GetElapsedTime(start), result.Status.StatusCode, token.IsCancellationRequested);
        RpcActivities.Stop(attempt, result.Status.StatusCode, result.Status.Detail);
        return result;
    }
}
