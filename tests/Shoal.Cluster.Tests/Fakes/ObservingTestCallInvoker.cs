using System.Diagnostics;
using Grpc.Core;
using Shoal.Connections;
using Shoal.Errors;

namespace Shoal.Cluster.Tests.Fakes;

/// <summary>A <see cref="TestCallInvoker"/> that also reports each unary call's end to an observer, before the caller sees it (as the native transport does).</summary>
public sealed class ObservingTestCallInvoker(TestCallInvoker inner) : CallInvoker, IObservingCallInvoker
{
    private int _observedCalls;

    private int _redirected;

    /// <summary>Calls made through the observing entry point.</summary>
    public int ObservedCalls => Volatile.Read(ref _observedCalls);

    /// <summary>Refused calls the observer took over.</summary>
    public int RedirectedCalls => Volatile.Read(ref _redirected);

    public AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request, IUnaryCallObserver observer, bool timed = true)
        where TRequest : class
        where TResponse : class
    {
        Interlocked.Increment(ref _observedCalls);
        var start = Stopwatch.GetTimestamp();
        var call = inner.AsyncUnaryCall(method, host, options, request);
        var completion = new TaskCompletionSource<TResponse>();
        _ = call.ResponseAsync.ContinueWith(t =>
        {
            var code = t.IsCompletedSuccessfully ? StatusCode.OK
                : t.Exception?.InnerException is RpcException rpc ? rpc.StatusCode
                : t.IsCanceled ? StatusCode.Cancelled : StatusCode.Unknown;
            // As the native transport does: the caller's cancellation is told apart from a Cancelled the server sent.
            observer.OnUnaryCallCompleted(code, timed ? Stopwatch.GetElapsedTime(start) : TimeSpan.FromTicks(-1), cancelledByCaller: options.CancellationToken.IsCancellationRequested);
            // As the native transport does: a call the server never started is first offered back to the observer.
            if (t.Exception?.InnerException is RpcException refusal && CallNotStarted.Is(refusal.Status) && observer is IRefusedCallObserver redirector
                && redirector.TryRedirect(new RefusedCall<TRequest, TResponse>(method, host, options, request, refusal.Status, completion)))
            {
                Interlocked.Increment(ref _redirected);
                return;
            }
            if (t.IsCompletedSuccessfully)
            {
                completion.TrySetResult(t.Result);
            }
            else if (t.IsCanceled)
            {
                // As a real transport reports it.
                completion.TrySetException(new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client.")));
            }
            else
            {
                completion.TrySetException(t.Exception!.InnerExceptions);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new AsyncUnaryCall<TResponse>(completion.Task, call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => inner.BlockingUnaryCall(method, host, options, request);

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => inner.AsyncUnaryCall(method, host, options, request);

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => inner.AsyncServerStreamingCall(method, host, options, request);

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => inner.AsyncClientStreamingCall(method, host, options);

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => inner.AsyncDuplexStreamingCall(method, host, options);
}
