using System.Diagnostics;
using Grpc.Core;
using Shoal.Telemetry;

namespace Shoal.Client.Internal;

/// <summary>
/// A span per unary call of a <see cref="ShoalChannel"/>: a client span for a direct
/// target, the parent of the cluster's per-attempt client spans for a cluster target. Streaming calls
/// pass through (their spans come from the attempt and the server). Costs one check per call while
/// nobody listens.
/// </summary>
internal sealed class ClientCallTracing(CallInvoker inner, Uri? direct) : CallInvoker
{
    /// <inheritdoc/>
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var activity = Start(method.FullName);
        try
        {
            var response = inner.BlockingUnaryCall(method, host, options, request);
            RpcActivities.Stop(activity, StatusCode.OK);
            return response;
        }
        catch (RpcException e)
        {
            RpcActivities.Stop(activity, e.StatusCode, e.Status.Detail);
            throw;
        }
        catch (Exception e)
        {
            RpcActivities.Stop(activity, StatusCode.Unknown, e.Message);
            throw;
        }
    }

    /// <inheritdoc/>
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        if (!ShoalTelemetry.Source.HasListeners())
        {
            return inner.AsyncUnaryCall(method, host, options, request);
        }
        var previous = Activity.Current;
        var activity = Start(method.FullName);
        AsyncUnaryCall<TResponse> call;
        try
        {
            call = inner.AsyncUnaryCall(method, host, options, request);
        }
        catch (Exception e)
        {
            RpcActivities.Stop(activity, StatusCode.Unknown, e.Message);
            throw;
        }
        finally
        {
            // The call captured the span; the caller's flow goes on with its own.
            Activity.Current = previous;
        }
        if (activity is not null)
        {
            call.ResponseAsync.ContinueWith(static (task, state) =>
            {
                var status = task.IsCompletedSuccessfully ? Status.DefaultSuccess
                    : task.Exception?.InnerException is RpcException e ? e.Status : new Status(StatusCode.Unknown, task.Exception?.InnerException?.Message ?? "");
                RpcActivities.Stop((Activity)state!, status.StatusCode, status.Detail);
            }, activity, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return call;
    }

    /// <inheritdoc/>
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => inner.AsyncServerStreamingCall(method, host, options, request);

    /// <inheritdoc/>
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => inner.AsyncClientStreamingCall(method, host, options);

    /// <inheritdoc/>
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => inner.AsyncDuplexStreamingCall(method, host, options);

    private Activity? Start(string fullMethod) => direct is null
        ? RpcActivities.StartClient(fullMethod, system: null, target: null, ActivityKind.Internal)
        : RpcActivities.StartClient(fullMethod, RpcActivities.SystemOf(direct), direct);
}
