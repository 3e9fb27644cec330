using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Shoal.Telemetry;

namespace Shoal.Client.Internal;

/// <summary>
/// A span per unary call of a <see cref="ShoalChannel"/>: a client span for a direct
/// target, the parent of the cluster's per-attempt client spans for a cluster target; and the
/// call's client metrics (<see cref="RpcMetrics"/>). Streaming calls pass through (their spans come
/// from the attempt and the server). Costs two checks per call while nobody listens.
/// </summary>
internal sealed class ClientCallTracing(CallInvoker inner, Uri? direct) : CallInvoker
{
    /// <summary>The <c>shoal.transport</c> of a cluster call's metrics: its attempts choose the transport.</summary>
    private const string ClusterTransport = "cluster";

    private readonly string _transport = direct is null ? ClusterTransport : direct.Scheme == "shoal" ? RpcMetrics.Native : RpcMetrics.Grpc;

    /// <summary>Whether a unary call now gets a span or metrics: someone listens to Shoal's spans or client metrics.</summary>
    public static bool IsActive => ShoalTelemetry.Source.HasListeners() || RpcMetrics.ClientEnabled;

    /// <inheritdoc/>
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var activity = Start(method.FullName);
        var token = StartMetrics(method.FullName, request);
        try
        {
            var response = inner.BlockingUnaryCall(method, host, options, request);
            RpcActivities.Stop(activity, StatusCode.OK);
            StopMetrics(token, method.FullName, StatusCode.OK, response);
            return response;
        }
        catch (RpcException e)
        {
            RpcActivities.Stop(activity, e.StatusCode, e.Status.Detail);
            StopMetrics<object>(token, method.FullName, e.StatusCode, null);
            throw;
        }
        catch (Exception e)
        {
            RpcActivities.Stop(activity, StatusCode.Unknown, e.Message);
            StopMetrics<object>(token, method.FullName, StatusCode.Unknown, null);
            throw;
        }
    }

    /// <inheritdoc/>
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        if (!IsActive)
        {
            return inner.AsyncUnaryCall(method, host, options, request);
        }
        var previous = Activity.Current;
        var activity = Start(method.FullName);
        var token = StartMetrics(method.FullName, request);
        AsyncUnaryCall<TResponse> call;
        try
        {
            call = inner.AsyncUnaryCall(method, host, options, request);
        }
        catch (Exception e)
        {
            RpcActivities.Stop(activity, StatusCode.Unknown, e.Message);
            StopMetrics<object>(token, method.FullName, StatusCode.Unknown, null);
            throw;
        }
        finally
        {
            // The call captured the span; the caller's flow goes on with its own.
            Activity.Current = previous;
        }
        if (activity is not null || token != 0)
        {
            var end = new CallEnd(this, activity, token, method.FullName);
            call.ResponseAsync.ContinueWith(static (task, state) =>
            {
                var status = task.IsCompletedSuccessfully ? Status.DefaultSuccess
                    : task.Exception?.InnerException is RpcException e ? e.Status : new Status(StatusCode.Unknown, task.Exception?.InnerException?.Message ?? "");
                var end = (CallEnd)state!;
                RpcActivities.Stop(end.Activity, status.StatusCode, status.Detail);
                end.Owner.StopMetrics(end.Token, end.Method, status.StatusCode, task.IsCompletedSuccessfully ? task.Result : null);
            }, end, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
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

    private long StartMetrics<TRequest>(string fullMethod, TRequest request)
    {
        if (request is IMessage message && RpcMetrics.SizeEnabled(server: false, request: true))
        {
            RpcMetrics.ClientMessage(fullMethod, _transport, request: true, message.CalculateSize());
        }
        return RpcMetrics.ClientStarted(fullMethod, _transport);
    }

    private void StopMetrics<TResponse>(long token, string fullMethod, StatusCode code, TResponse? response)
    {
        RpcMetrics.ClientCompleted(token, fullMethod, _transport, code);
        if (response is IMessage message && RpcMetrics.SizeEnabled(server: false, request: false))
        {
            RpcMetrics.ClientMessage(fullMethod, _transport, request: false, message.CalculateSize());
        }
    }

    private Activity? Start(string fullMethod) => direct is null
        ? RpcActivities.StartClient(fullMethod, system: null, target: null, ActivityKind.Internal)
        : RpcActivities.StartClient(fullMethod, RpcActivities.SystemOf(direct), direct);

    /// <summary>What the end of an asynchronous call needs, in one object for the continuation.</summary>
    private sealed record CallEnd(ClientCallTracing Owner, Activity? Activity, long Token, string Method);
}
