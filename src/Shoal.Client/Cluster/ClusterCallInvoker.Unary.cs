using Grpc.Core;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.Internal;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Connections;

namespace Shoal.Client.Cluster;

/// <summary>Unary calls: through the method's fault-tolerance strategy.</summary>
public sealed partial class ClusterCallInvoker
{
    /// <inheritdoc/>
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => ChainFor(options) is { } chain
            ? chain.BlockingUnaryCall(method, host, options, request)
            : BlockingUnary(method, host, options, request);

    /// <inheritdoc/>
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => ChainFor(options) is { } chain
            ? chain.AsyncUnaryCall(method, host, options, request)
            : Unary(method, host, options, request);

    private TResponse BlockingUnary<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        where TRequest : class
        where TResponse : class
    {
        using var call = Unary(method, host, options, request);
        return call.ResponseAsync.GetAwaiter().GetResult();
    }

    private AsyncUnaryCall<TResponse> Unary<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(method);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _runtime.Budget.Deposit();
        var (policy, strategy) = _policies.Resolve(method);
        if (strategy is FirstAttemptStrategy firstAttempt && !options.CancellationToken.IsCancellationRequested)
        {
            // The fast path: a ready endpoint now, so the first attempt needs no strategy machinery.
            var pick = _runtime.Balancer.Current.Pick(new PickContext(method.FullName, options.Headers, null));
            if (pick.Type == PickResultType.Endpoint && pick.Endpoint!.Connection.State == ConnectionState.Ready)
            {
                // With a tracing listener the attempt takes the path below, which gives it its span.
                if (!firstAttempt.ActsOnFailure(policy)
                    && !Shoal.Telemetry.ShoalTelemetry.Source.HasListeners()
                    && ReferenceEquals(pick.Tracker, pick.Endpoint)
                    && pick.Endpoint.Connection.Invoker is IObservingCallInvoker observing)
                {
                    // Nothing to do after the attempt but count it, and the connection does that itself:
                    // the caller gets the attempt as it is. A call the server never started is the one
                    // exception: the connection offers it back to the endpoint (IRefusedCallObserver),
                    // which sends it elsewhere when the strategy retries such calls (failover does).
                    return StartObserved(observing, method, host, options, request, pick.Endpoint);
                }
                return FastPathUnaryCall<TRequest, TResponse>.Start(_runtime, method, host, options, request, policy, firstAttempt, pick);
            }
        }
        var state = new UnaryCallState<TResponse>(options.CancellationToken);
        var call = new ClusterCall<TRequest, TResponse>(_runtime, method, host, options.WithCancellationToken(state.Token), request, policy);
        state.Run(strategy.ExecuteAsync(call));
        return new AsyncUnaryCall<TResponse>(state.ResponseAsync(), state.HeadersAsync(), state.GetStatus, state.GetTrailers, state.Dispose);
    }

    private static AsyncUnaryCall<TResponse> StartObserved<TRequest, TResponse>(IObservingCallInvoker invoker, Method<TRequest, TResponse> method, string? host,
        CallOptions options, TRequest request, ClusterEndpoint endpoint)
        where TRequest : class
        where TResponse : class
    {
        endpoint.Start();
        try
        {
            return invoker.AsyncUnaryCall(method, host, options, request, endpoint, endpoint.ShouldTime());
        }
        catch
        {
            // The call never started (a bad argument): it was not the endpoint's fault.
            endpoint.Complete(TimeSpan.FromTicks(-1), success: true);
            throw;
        }
    }
}
