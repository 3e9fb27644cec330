using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>A client interceptor that adds a header to every call and counts the calls it saw.</summary>
public sealed class HeaderClientInterceptor : Interceptor
{
    public const string Header = "x-client-intercepted";

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        => continuation(request, WithHeader(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
        => continuation(request, WithHeader(context));

    private ClientInterceptorContext<TRequest, TResponse> WithHeader<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        Interlocked.Increment(ref _calls);
        var headers = new Metadata();
        foreach (var entry in context.Options.Headers ?? [])
        {
            headers.Add(entry);
        }
        headers.Add(Header, "on");
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }
}
