using Grpc.Core;
using Shoal.Cluster.FaultTolerance;
using Shoal.Cluster.Internal;

namespace Shoal.Cluster;

/// <summary>Unary calls: through the method's fault-tolerance strategy.</summary>
public sealed partial class ClusterCallInvoker
{
    /// <inheritdoc/>
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        using var call = AsyncUnaryCall(method, host, options, request);
        return call.ResponseAsync.GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        ArgumentNullException.ThrowIfNull(method);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _runtime.Budget.Deposit();
        var (policy, strategy) = _policies.Resolve(method.FullName);
        var state = new UnaryCallState<TResponse>(options.CancellationToken);
        var call = new ClusterCall<TRequest, TResponse>(_runtime, method, host, options.WithCancellationToken(state.Token), request, policy);
        state.Run(strategy.ExecuteAsync(call));
        return new AsyncUnaryCall<TResponse>(state.ResponseAsync(), state.HeadersAsync(), state.GetStatus, state.GetTrailers, state.Dispose);
    }
}
