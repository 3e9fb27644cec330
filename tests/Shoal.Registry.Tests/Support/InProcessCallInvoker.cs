using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;

namespace Shoal.Registry.Tests.Support;

/// <summary>
/// A <see cref="CallInvoker"/> that calls a bound service's handlers directly, with no transport:
/// proof that a client written against <see cref="CallInvoker"/> needs nothing else. Unary and
/// server-streaming calls only. <see cref="Available"/> = false makes every call fail with
/// <see cref="StatusCode.Unavailable"/> and breaks open streams, like a registry that went away.
/// </summary>
internal sealed class InProcessCallInvoker : CallInvoker
{
    private readonly ConcurrentDictionary<string, Delegate> _handlers = new();
    private readonly object _lock = new();
    private CancellationTokenSource _outage = new();
    private volatile bool _available = true;

    public InProcessCallInvoker(Action<ServiceBinderBase> bind) => Rebind(bind);

    /// <summary>Calls made, by method name.</summary>
    public ConcurrentDictionary<string, int> Calls { get; } = new();

    /// <summary>Binds another service instance in place of the current one (a restarted server).</summary>
    public void Rebind(Action<ServiceBinderBase> bind) => bind(new Binder(_handlers));

    public bool Available
    {
        get => _available;
        set
        {
            lock (_lock)
            {
                _available = value;
                if (!value)
                {
                    _outage.Cancel();
                    _outage = new CancellationTokenSource();
                }
            }
        }
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.AddOrUpdate(method.Name, 1, (_, n) => n + 1);
        var handler = (UnaryServerMethod<TRequest, TResponse>)_handlers[method.FullName];
        var response = _available
            ? handler(request, new TestServerCallContext(method.FullName, options.CancellationToken))
            : Task.FromException<TResponse>(new RpcException(new Status(StatusCode.Unavailable, "in-process registry is down")));
        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var handler = (ServerStreamingServerMethod<TRequest, TResponse>)_handlers[method.FullName];
        var channel = Channel.CreateUnbounded<TResponse>();
        CancellationToken outage;
        lock (_lock)
        {
            outage = _outage.Token;
        }
        var cts = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken, outage);
        var running = _available
            ? Task.Run(() => handler(request, new Writer<TResponse>(channel.Writer), new TestServerCallContext(method.FullName, cts.Token)))
            : Task.FromException(new RpcException(new Status(StatusCode.Unavailable, "in-process registry is down")));
        _ = running.ContinueWith(
            t => channel.Writer.TryComplete(outage.IsCancellationRequested
                ? new RpcException(new Status(StatusCode.Unavailable, "in-process registry went down"))
                : t.Exception?.InnerException),
            TaskScheduler.Default);
        return new AsyncServerStreamingCall<TResponse>(new Reader<TResponse>(channel.Reader), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], cts.Cancel);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => throw new NotSupportedException();

    private sealed class Binder(ConcurrentDictionary<string, Delegate> handlers) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
            => handlers[method.FullName] = handler!;

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
            => handlers[method.FullName] = handler!;
    }

    private sealed class Writer<T>(ChannelWriter<T> writer) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(T message) => writer.WriteAsync(message).AsTask();
    }

    private sealed class Reader<T>(ChannelReader<T> reader) : IAsyncStreamReader<T>
    {
        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (await reader.WaitToReadAsync(cancellationToken) && reader.TryRead(out var item))
            {
                Current = item;
                return true;
            }
            return false;
        }
    }

    private sealed class TestServerCallContext(string method, CancellationToken cancellationToken) : ServerCallContext
    {
        protected override string MethodCore => method;

        protected override string HostCore => "in-process";

        protected override string PeerCore => "in-process";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore { get; } = [];

        protected override CancellationToken CancellationTokenCore => cancellationToken;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
