using Grpc.Core;
using Shoal.Client.Cluster.Internal;

namespace Shoal.Client.Cluster;

/// <summary>
/// Streaming calls pick once and get no fault-tolerance strategy: messages already sent cannot be
/// replayed on another instance. Before anything is sent, a pick that lands on a connection that
/// stopped being ready is repeated, and a call with no ready instance waits for one.
/// </summary>
public sealed partial class ClusterCallInvoker
{
    /// <inheritdoc/>
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => ChainFor(options) is { } chain
            ? chain.AsyncServerStreamingCall(method, host, options, request)
            : ServerStreaming(method, host, options, request);

    private AsyncServerStreamingCall<TResponse> ServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        where TRequest : class
        where TResponse : class
    {
        var state = Stream(method, options, (invoker, o) =>
        {
            var call = invoker.AsyncServerStreamingCall(method, host, o, request);
            return new(call.ResponseStream, null, null, call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        });
        return new AsyncServerStreamingCall<TResponse>(state, state.HeadersAsync(), state.GetStatus, state.GetTrailers, state.Dispose);
    }

    /// <inheritdoc/>
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => ChainFor(options) is { } chain
            ? chain.AsyncClientStreamingCall(method, host, options)
            : ClientStreaming(method, host, options);

    private AsyncClientStreamingCall<TRequest, TResponse> ClientStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        where TRequest : class
        where TResponse : class
    {
        var state = Stream(method, options, (invoker, o) =>
        {
            var call = invoker.AsyncClientStreamingCall(method, host, o);
            return new(null, call.RequestStream, call.ResponseAsync, call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        });
        return new AsyncClientStreamingCall<TRequest, TResponse>(state, state.ResponseAsync(), state.HeadersAsync(), state.GetStatus, state.GetTrailers, state.Dispose);
    }

    /// <inheritdoc/>
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => ChainFor(options) is { } chain
            ? chain.AsyncDuplexStreamingCall(method, host, options)
            : DuplexStreaming(method, host, options);

    private AsyncDuplexStreamingCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        where TRequest : class
        where TResponse : class
    {
        var state = Stream(method, options, (invoker, o) =>
        {
            var call = invoker.AsyncDuplexStreamingCall(method, host, o);
            return new(call.ResponseStream, call.RequestStream, null, call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        });
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(state, state, state.HeadersAsync(), state.GetStatus, state.GetTrailers, state.Dispose);
    }

    private StreamingCallState<TRequest, TResponse> Stream<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options,
        Func<CallInvoker, CallOptions, StreamingCallState<TRequest, TResponse>.InnerCall> create)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(method);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return new StreamingCallState<TRequest, TResponse>(_runtime, method.FullName, options, create);
    }
}
