using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Shoal.Telemetry;

namespace Shoal.Server.Internal;

/// <summary>
/// Shoal's server span for gRPC calls (the native transport starts its own in its dispatcher), a
/// child of ASP.NET Core's request span when there is one, else of the caller's <c>traceparent</c>.
/// Costs one check per call while nobody listens.
/// </summary>
internal sealed class ServerCallTracingInterceptor : Interceptor
{
    /// <inheritdoc/>
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        => Traced(context, () => continuation(request, context));

    /// <inheritdoc/>
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
        => Traced(context, () => continuation(requestStream, context));

    /// <inheritdoc/>
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        => Traced(context, () => continuation(request, responseStream, context));

    /// <inheritdoc/>
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        => Traced(context, () => continuation(requestStream, responseStream, context));

    private static T Traced<T>(ServerCallContext context, Func<T> handler)
        where T : Task
    {
        if (!ShoalTelemetry.Source.HasListeners())
        {
            return handler();
        }
        var previous = Activity.Current;
        var activity = RpcActivities.StartServer(context.Method, "grpc", context.RequestHeaders);
        T task;
        try
        {
            task = handler();
        }
        catch (Exception e)
        {
            Stop(activity, e);
            throw;
        }
        finally
        {
            Activity.Current = previous;
        }
        if (activity is not null)
        {
            task.ContinueWith(static (t, state) => Stop((Activity)state!, t.Exception?.InnerException), activity,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return task;
    }

    private static void Stop(Activity? activity, Exception? error)
    {
        var status = error switch
        {
            null => Grpc.Core.Status.DefaultSuccess,
            RpcException e => e.Status,
            OperationCanceledException => new Grpc.Core.Status(StatusCode.Cancelled, "Cancelled"),
            _ => new Grpc.Core.Status(StatusCode.Unknown, error.Message),
        };
        RpcActivities.Stop(activity, status.StatusCode, status.Detail);
    }
}
