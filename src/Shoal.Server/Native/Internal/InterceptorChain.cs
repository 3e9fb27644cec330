using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Shoal.Server.Native.Internal;

/// <summary>
/// Wraps a handler in the server interceptors once, at bind time, the way Grpc.Core does: the
/// first interceptor is the outermost, each one's continuation is the next.
/// </summary>
internal static class InterceptorChain
{
    public static UnaryServerMethod<TRequest, TResponse> Wrap<TRequest, TResponse>(IReadOnlyList<Interceptor> interceptors, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class
        => Fold(interceptors, handler, static (interceptor, next) => (request, context) => interceptor.UnaryServerHandler(request, context, next));

    public static ClientStreamingServerMethod<TRequest, TResponse> Wrap<TRequest, TResponse>(IReadOnlyList<Interceptor> interceptors, ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class
        => Fold(interceptors, handler, static (interceptor, next) => (requests, context) => interceptor.ClientStreamingServerHandler(requests, context, next));

    public static ServerStreamingServerMethod<TRequest, TResponse> Wrap<TRequest, TResponse>(IReadOnlyList<Interceptor> interceptors, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class
        => Fold(interceptors, handler, static (interceptor, next) => (request, responses, context) => interceptor.ServerStreamingServerHandler(request, responses, context, next));

    public static DuplexStreamingServerMethod<TRequest, TResponse> Wrap<TRequest, TResponse>(IReadOnlyList<Interceptor> interceptors, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class
        => Fold(interceptors, handler, static (interceptor, next) => (requests, responses, context) => interceptor.DuplexStreamingServerHandler(requests, responses, context, next));

    /// <summary>Wraps <paramref name="handler"/> from the last interceptor to the first, so the first runs outermost.</summary>
    private static THandler Fold<THandler>(IReadOnlyList<Interceptor> interceptors, THandler handler, Func<Interceptor, THandler, THandler> wrap)
    {
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            handler = wrap(interceptors[i], handler);
        }
        return handler;
    }
}
