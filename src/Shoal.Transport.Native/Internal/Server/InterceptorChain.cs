using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Shoal.Transport.Native.Internal.Server;

/// <summary>
/// Wraps a handler in the server interceptors once, at bind time, the way Grpc.Core does: the
/// first interceptor is the outermost, each one's continuation is the next.
/// </summary>
internal static class InterceptorChain
{
    public static UnaryServerMethod<TRequest, TResponse> Wrap<TRequest, TResponse>(IReadOnlyList<Interceptor> interceptors, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class
    {
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var interceptor = interceptors[i];
            var next = handler;
            handler = (request, context) => interceptor.UnaryServerHandler(request, context, next);
        }
        return handler;
    }

    public static ClientStreamingServerMethod<TRequest, TResponse> Wrap<TRequest, TResponse>(IReadOnlyList<Interceptor> interceptors, ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class
    {
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var interceptor = interceptors[i];
            var next = handler;
            handler = (requests, context) => interceptor.ClientStreamingServerHandler(requests, context, next);
        }
        return handler;
    }

    public static ServerStreamingServerMethod<TRequest, TResponse> Wrap<TRequest, TResponse>(IReadOnlyList<Interceptor> interceptors, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class
    {
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var interceptor = interceptors[i];
            var next = handler;
            handler = (request, responses, context) => interceptor.ServerStreamingServerHandler(request, responses, context, next);
        }
        return handler;
    }

    public static DuplexStreamingServerMethod<TRequest, TResponse> Wrap<TRequest, TResponse>(IReadOnlyList<Interceptor> interceptors, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class
    {
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var interceptor = interceptors[i];
            var next = handler;
            handler = (requests, responses, context) => interceptor.DuplexStreamingServerHandler(requests, responses, context, next);
        }
        return handler;
    }
}
