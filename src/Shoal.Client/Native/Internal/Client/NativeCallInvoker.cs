using Grpc.Core;
using Shoal.Connections;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>The <see cref="CallInvoker"/> of one native client connection: all four call kinds, and unary calls with an observer.</summary>
internal sealed class NativeCallInvoker(NativeClientConnection connection) : CallInvoker, IObservingCallInvoker
{
    private readonly bool _asyncContinuations = connection.Options.RunContinuationsAsynchronously;

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = AsyncUnaryCall(method, host, options, request);
        try
        {
            return call.ResponseAsync.GetAwaiter().GetResult();
        }
        finally
        {
            call.Dispose();
        }
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = new ClientCall<TRequest, TResponse>(connection, method, host, options, _asyncContinuations);
        call.Start(request);
        return call.AsUnary();
    }

    public AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request, IUnaryCallObserver observer, bool timed = true)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        var call = new ClientCall<TRequest, TResponse>(connection, method, host, options, _asyncContinuations,
            observer is IRefusedCallObserver ? request : null);
        call.ObserveWith(observer, timed);
        call.Start(request);
        return call.AsUnary();
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = new ClientCall<TRequest, TResponse>(connection, method, host, options, asyncContinuations: true);
        call.Start(request);
        return call.AsServerStreaming();
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new ClientCall<TRequest, TResponse>(connection, method, host, options, asyncContinuations: true);
        call.Start(null);
        return call.AsClientStreaming();
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new ClientCall<TRequest, TResponse>(connection, method, host, options, asyncContinuations: true);
        call.Start(null);
        return call.AsDuplexStreaming();
    }
}
