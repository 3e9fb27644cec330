using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Shoal.Telemetry;

namespace Shoal.Server.Internal;

/// <summary>
/// Shoal's RPC metrics for gRPC calls (<see cref="RpcMetrics"/>; the native transport records its
/// own in its dispatcher). One check per call while no listener enabled the instruments.
/// </summary>
internal sealed class ServerCallMetricsInterceptor : Interceptor
{
    /// <inheritdoc/>
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        => RpcMetrics.ServerEnabled ? MeasuredUnary(request, context, continuation) : continuation(request, context);

    private static async Task<TResponse> MeasuredUnary<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        RecordSize(context.Method, request, isRequest: true);
        var token = RpcMetrics.ServerStarted(context.Method, RpcMetrics.Grpc);
        try
        {
            var response = await continuation(request, context).ConfigureAwait(false);
            RpcMetrics.ServerCompleted(token, context.Method, RpcMetrics.Grpc, context.Status.StatusCode);
            RecordSize(context.Method, response, isRequest: false);
            return response;
        }
        catch (Exception e)
        {
            RpcMetrics.ServerCompleted(token, context.Method, RpcMetrics.Grpc, StatusOf(e, context));
            throw;
        }
    }

    /// <inheritdoc/>
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
        => RpcMetrics.ServerEnabled ? Measured(context, () => continuation(requestStream, context)) : continuation(requestStream, context);

    /// <inheritdoc/>
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        => RpcMetrics.ServerEnabled ? Measured(context, () => continuation(request, responseStream, context)) : continuation(request, responseStream, context);

    /// <inheritdoc/>
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        => RpcMetrics.ServerEnabled ? Measured(context, () => continuation(requestStream, responseStream, context)) : continuation(requestStream, responseStream, context);

    private static async Task<T> Measured<T>(ServerCallContext context, Func<Task<T>> handler)
    {
        var token = RpcMetrics.ServerStarted(context.Method, RpcMetrics.Grpc);
        try
        {
            var result = await handler().ConfigureAwait(false);
            RpcMetrics.ServerCompleted(token, context.Method, RpcMetrics.Grpc, context.Status.StatusCode);
            return result;
        }
        catch (Exception e)
        {
            RpcMetrics.ServerCompleted(token, context.Method, RpcMetrics.Grpc, StatusOf(e, context));
            throw;
        }
    }

    private static async Task Measured(ServerCallContext context, Func<Task> handler)
        => await Measured(context, async () =>
        {
            await handler().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    private static void RecordSize<T>(string method, T message, bool isRequest)
    {
        if (message is IMessage protobuf && RpcMetrics.SizeEnabled(server: true, isRequest))
        {
            RpcMetrics.ServerMessage(method, RpcMetrics.Grpc, isRequest, protobuf.CalculateSize());
        }
    }

    /// <summary>The status grpc-dotnet sends for what the handler threw.</summary>
    private static StatusCode StatusOf(Exception exception, ServerCallContext context) => exception switch
    {
        RpcException rpc => rpc.StatusCode,
        OperationCanceledException when context.CancellationToken.IsCancellationRequested
            => context.Deadline <= DateTime.UtcNow ? StatusCode.DeadlineExceeded : StatusCode.Cancelled,
        _ => StatusCode.Unknown,
    };
}
