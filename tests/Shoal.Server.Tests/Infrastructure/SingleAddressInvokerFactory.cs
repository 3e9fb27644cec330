using Grpc.Core;
using Shoal.Client;
using Shoal.Connections;
using Shoal.Discovery;
using Shoal.Targets;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>A stand-in cluster client: every call goes over one connection to a fixed address.</summary>
public sealed class SingleAddressInvokerFactory(string address) : IClusterInvokerFactory
{
    private ConnectionInvoker? _invoker;

    public ShoalTarget? Target { get; private set; }

    public IReadOnlyList<IConnectionFactory>? Factories { get; private set; }

    public bool Disposed => _invoker?.Disposed ?? false;

    public CallInvoker Create(ShoalTarget target, IServiceResolver resolver, IReadOnlyList<IConnectionFactory> connectionFactories, ShoalChannelOptions options)
    {
        Target = target;
        Factories = connectionFactories;
        var uri = new Uri(address);
        _invoker = new ConnectionInvoker(connectionFactories.First(f => f.Supports(uri.Scheme)).Create(uri));
        return _invoker;
    }

    private sealed class ConnectionInvoker(IConnection connection) : CallInvoker, IAsyncDisposable
    {
        public bool Disposed { get; private set; }

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
            => connection.Invoker.BlockingUnaryCall(method, host, options, request);

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
            => connection.Invoker.AsyncUnaryCall(method, host, options, request);

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
            => connection.Invoker.AsyncServerStreamingCall(method, host, options, request);

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
            => connection.Invoker.AsyncClientStreamingCall(method, host, options);

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
            => connection.Invoker.AsyncDuplexStreamingCall(method, host, options);

        public async ValueTask DisposeAsync()
        {
            Disposed = true;
            await connection.DisposeAsync();
        }
    }
}
