using Grpc.Core;
using Shoal.Client.Internal;

namespace Shoal.Client.Cluster;

/// <summary>
/// The channel's entry: a <see cref="ShoalChannel"/> over this cluster gives its callers this invoker
/// itself and hands it what the channel does to a call first (<see cref="ChannelEntry"/>). A call that
/// needs that goes through the channel's chain, which ends in <see cref="Core"/>; the others come
/// straight to the cluster's own work.
/// </summary>
public sealed partial class ClusterCallInvoker
{
    private ChannelEntry? _entry;
    private CallInvoker? _core;

    /// <summary>The cluster's own work, without the channel's entry: the end of the channel's chain.</summary>
    internal CallInvoker Core => _core ??= new CoreInvoker(this);

    /// <summary>Takes the channel's entry; false when another channel's entry came first (that channel then wraps this invoker as any other).</summary>
    internal bool TryEnterThrough(ChannelEntry entry) => Interlocked.CompareExchange(ref _entry, entry, null) is null;

    /// <summary>The channel's chain when a call with <paramref name="options"/> needs it; null: the call comes straight to the cluster's work.</summary>
    private CallInvoker? ChainFor(in CallOptions options) => _entry is { } entry && entry.Applies(options) ? entry.Chain : null;

    /// <summary>The cluster's calls without the entry's test.</summary>
    private sealed class CoreInvoker(ClusterCallInvoker cluster) : CallInvoker
    {
        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
            => cluster.BlockingUnary(method, host, options, request);

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
            => cluster.Unary(method, host, options, request);

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
            => cluster.ServerStreaming(method, host, options, request);

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
            => cluster.ClientStreaming(method, host, options);

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
            => cluster.DuplexStreaming(method, host, options);
    }
}
