using System.Diagnostics;
using Grpc.Core;
using Shoal.Connections;

namespace Shoal.Benchmarks.Cluster;

/// <summary>
/// Unary calls that complete before they are returned, with one preset reply: the transport's
/// cost taken out, its bookkeeping kept (a call object per call, and the observer told first, as
/// the native client does).
/// </summary>
internal sealed class InstantCallInvoker(object reply) : CallInvoker, IObservingCallInvoker
{
    private static readonly Task<Metadata> NoHeaders = Task.FromResult(new Metadata());

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => Completed<TResponse>();

    public AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request,
        IUnaryCallObserver observer, bool timed = true)
        where TRequest : class
        where TResponse : class
    {
        var start = timed ? Stopwatch.GetTimestamp() : 0;
        observer.OnUnaryCallCompleted(StatusCode.OK, timed ? Stopwatch.GetElapsedTime(start) : TimeSpan.FromTicks(-1), cancelledByCaller: false);
        return Completed<TResponse>();
    }

    private AsyncUnaryCall<TResponse> Completed<TResponse>()
        => new(Task.FromResult((TResponse)reply), static _ => NoHeaders, static _ => Status.DefaultSuccess, static _ => Metadata.Empty, static _ => { }, this);

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => (TResponse)reply;

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => throw new NotSupportedException("Unary calls only.");

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => throw new NotSupportedException("Unary calls only.");

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => throw new NotSupportedException("Unary calls only.");
}
