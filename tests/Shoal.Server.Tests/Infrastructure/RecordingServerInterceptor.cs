using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>A server interceptor that records each call's method and the header the client interceptor sets, and adds a response header.</summary>
public sealed class RecordingServerInterceptor : Interceptor
{
    public const string ResponseHeader = "x-server-intercepted";

    public ConcurrentQueue<(string Method, string? ClientHeader)> Calls { get; } = new();

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await Record(context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await Record(context);
        await continuation(request, responseStream, context);
    }

    private Task Record(ServerCallContext context)
    {
        Calls.Enqueue((context.Method, context.RequestHeaders.GetValue(HeaderClientInterceptor.Header)));
        return context.WriteResponseHeadersAsync(new Metadata { { ResponseHeader, "yes" } });
    }
}
