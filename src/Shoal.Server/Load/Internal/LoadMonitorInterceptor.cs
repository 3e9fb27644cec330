using Grpc.Core;
using Grpc.Core.Interceptors;
using Shoal.Server.Native;

namespace Shoal.Server.Load.Internal;

/// <summary>
/// Counts grpc-dotnet calls into the <see cref="ServerLoadMonitor"/> (the native transport reports
/// its calls through <see cref="INativeCallObserver"/> instead). Added as the
/// outermost interceptor, so the latency covers the application's interceptors too.
/// </summary>
internal sealed class LoadMonitorInterceptor(ServerLoadMonitor monitor) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var token = monitor.OnCallStarted(context.Method);
        try
        {
            var response = await continuation(request, context).ConfigureAwait(false);
            monitor.OnCallCompleted(token, context.Status.StatusCode);
            return response;
        }
        catch (Exception e)
        {
            monitor.OnCallCompleted(token, StatusOf(e, context));
            throw;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var token = monitor.OnCallStarted(context.Method);
        try
        {
            var response = await continuation(requestStream, context).ConfigureAwait(false);
            monitor.OnCallCompleted(token, context.Status.StatusCode);
            return response;
        }
        catch (Exception e)
        {
            monitor.OnCallCompleted(token, StatusOf(e, context));
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var token = monitor.OnCallStarted(context.Method);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            monitor.OnCallCompleted(token, context.Status.StatusCode);
        }
        catch (Exception e)
        {
            monitor.OnCallCompleted(token, StatusOf(e, context));
            throw;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var token = monitor.OnCallStarted(context.Method);
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
            monitor.OnCallCompleted(token, context.Status.StatusCode);
        }
        catch (Exception e)
        {
            monitor.OnCallCompleted(token, StatusOf(e, context));
            throw;
        }
    }

    /// <summary>The status grpc-dotnet will send for what the handler threw.</summary>
    private static StatusCode StatusOf(Exception exception, ServerCallContext context)
    {
        if (exception is RpcException rpc)
        {
            return rpc.StatusCode;
        }
        if (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            return context.Deadline <= DateTime.UtcNow ? StatusCode.DeadlineExceeded : StatusCode.Cancelled;
        }
        return StatusCode.Unknown;
    }
}
