using Grpc.Core;
using Grpc.Core.Interceptors;
using Shoal.Context;

namespace Shoal.Server.Internal;

/// <summary>
/// Makes each gRPC call the <see cref="ShoalCallContext.Current"/> call while its handler runs (the
/// native transport does it in its dispatcher). Only the synchronous part is wrapped: the handler's
/// awaits capture the context as it was set, so nothing is allocated per call beyond the context switch.
/// </summary>
internal sealed class CallContextScopeInterceptor : Interceptor
{
    /// <inheritdoc/>
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var previous = ShoalCallContext.Enter(context);
        try
        {
            return continuation(request, context);
        }
        finally
        {
            ShoalCallContext.Exit(previous);
        }
    }

    /// <inheritdoc/>
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var previous = ShoalCallContext.Enter(context);
        try
        {
            return continuation(requestStream, context);
        }
        finally
        {
            ShoalCallContext.Exit(previous);
        }
    }

    /// <inheritdoc/>
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var previous = ShoalCallContext.Enter(context);
        try
        {
            return continuation(request, responseStream, context);
        }
        finally
        {
            ShoalCallContext.Exit(previous);
        }
    }

    /// <inheritdoc/>
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var previous = ShoalCallContext.Enter(context);
        try
        {
            return continuation(requestStream, responseStream, context);
        }
        finally
        {
            ShoalCallContext.Exit(previous);
        }
    }
}
