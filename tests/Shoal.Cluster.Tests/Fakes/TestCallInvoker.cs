using System.Collections.Concurrent;
using Grpc.Core;

namespace Shoal.Cluster.Tests.Fakes;

/// <summary>A call invoker for one fake endpoint: unary calls go to a handler; server streams yield the handler's result as one message.</summary>
public sealed class TestCallInvoker : CallInvoker
{
    private readonly Func<TestCall, Task<object>> _handler;
    private int _calls;

    public TestCallInvoker(Uri address, Func<TestCall, Task<object>>? handler = null)
    {
        Address = address;
        _handler = handler ?? (call => Task.FromResult<object>($"ok from {call.Address}"));
    }

    public Uri Address { get; }

    public int Calls => Volatile.Read(ref _calls);

    public ConcurrentQueue<TestCall> Received { get; } = new();

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => AsyncUnaryCall(method, host, options, request).ResponseAsync.GetAwaiter().GetResult();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var response = Invoke<TResponse>(method.FullName, request, options);
        var status = new TaskCompletionSource<Status>();
        _ = response.ContinueWith(t => status.TrySetResult(t.IsCompletedSuccessfully
            ? Status.DefaultSuccess
            : (t.Exception?.InnerException as RpcException)?.Status ?? new Status(StatusCode.Unknown, "failed")), TaskScheduler.Default);
        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()),
            () => status.Task.IsCompleted ? status.Task.Result : throw new InvalidOperationException("not complete"), () => new Metadata(), () => { });
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var reader = new OneMessageReader<TResponse>(Invoke<TResponse>(method.FullName, request, options));
        return new AsyncServerStreamingCall<TResponse>(reader, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => new Metadata(), () => { });
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => throw new RpcException(new Status(StatusCode.Unimplemented, "not in the fake"));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => throw new RpcException(new Status(StatusCode.Unimplemented, "not in the fake"));

    private async Task<TResponse> Invoke<TResponse>(string method, object? request, CallOptions options)
    {
        Interlocked.Increment(ref _calls);
        var call = new TestCall(Address, method, request, options);
        Received.Enqueue(call);
        var result = await _handler(call).ConfigureAwait(false);
        return (TResponse)result;
    }

    private sealed class OneMessageReader<T>(Task<T> message) : IAsyncStreamReader<T>
    {
        private bool _read;

        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (_read)
            {
                return false;
            }
            _read = true;
            Current = await message.ConfigureAwait(false);
            return true;
        }
    }
}
