using Grpc.Core;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Connections;

namespace Shoal.Client.Cluster.Internal;

/// <summary>
/// A streaming call that picks once: at once when an endpoint is ready, otherwise after waiting
/// for one (wait-for-ready); reads, writes and the response wait for that start. The endpoint's
/// tracker counts the stream in flight until it ends; its duration is not a latency sample.
/// </summary>
internal sealed class StreamingCallState<TRequest, TResponse> : IAsyncStreamReader<TResponse>, IClientStreamWriter<TRequest>
    where TRequest : class
    where TResponse : class
{
    private const int TransparentRepicks = 3;

    private readonly ClusterRuntime _runtime;
    private readonly CallOptions _options;
    private readonly PickContext _context;
    private readonly Func<CallInvoker, CallOptions, InnerCall> _create;
    private readonly CancellationTokenSource _cancellation;
    private readonly long _startTimestamp;
    private readonly Task _started;
    private InnerCall? _inner;
    private Status? _failure;
    private ICallTracker? _tracker;
    private WriteOptions? _writeOptions;
    private int _completed;

    public StreamingCallState(ClusterRuntime runtime, string method, CallOptions options, Func<CallInvoker, CallOptions, InnerCall> create)
    {
        _runtime = runtime;
        _create = create;
        _cancellation = options.CancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken)
            : new CancellationTokenSource();
        _options = options.WithCancellationToken(_cancellation.Token);
        _context = new PickContext(method, options.Headers);
        _startTimestamp = runtime.TimeProvider.GetTimestamp();
        var pick = runtime.Balancer.Current.Pick(_context);
        if (pick.Type == PickResultType.Endpoint && pick.Endpoint!.Connection.State == ConnectionState.Ready)
        {
            StartOn(pick);
            _started = Task.CompletedTask;
        }
        else
        {
            _started = StartAsync();
        }
    }

    /// <summary>The pieces of the real call on the chosen endpoint.</summary>
    internal sealed record InnerCall(IAsyncStreamReader<TResponse>? Reader, IClientStreamWriter<TRequest>? Writer, Task<TResponse>? Response,
        Task<Metadata> Headers, Func<Status> Status, Func<Metadata> Trailers, Action Dispose);

    public TResponse Current => _inner?.Reader is { } reader ? reader.Current : throw new InvalidOperationException("No message was read.");

    public WriteOptions? WriteOptions
    {
        get => _inner?.Writer?.WriteOptions ?? _writeOptions;
        set
        {
            _writeOptions = value;
            if (_inner?.Writer is { } writer)
            {
                writer.WriteOptions = value;
            }
        }
    }

    /// <remarks>
    /// Once the call started, a message already there is handed over without an async frame of this
    /// wrapper (a server stream reads most of its messages that way).
    /// </remarks>
    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (Started is not { } inner)
        {
            return MoveNextAfterStartAsync(cancellationToken);
        }
        Task<bool> next;
        try
        {
            next = inner.Reader!.MoveNext(cancellationToken);
        }
        catch (Exception ex)
        {
            next = Task.FromException<bool>(ex);
        }
        if (!next.IsCompletedSuccessfully)
        {
            return ObserveAsync(next);
        }
        if (!next.Result)
        {
            Complete(StatusCode.OK);
        }
        return next;
    }

    private async Task<bool> MoveNextAfterStartAsync(CancellationToken cancellationToken)
    {
        var inner = await StartedAsync().ConfigureAwait(false);
        return await ObserveAsync(inner.Reader!.MoveNext(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Ends the attempt with the stream's outcome: OK at its end, the status it failed with.</summary>
    private async Task<bool> ObserveAsync(Task<bool> next)
    {
        try
        {
            var hasNext = await next.ConfigureAwait(false);
            if (!hasNext)
            {
                Complete(StatusCode.OK);
            }
            return hasNext;
        }
        catch (RpcException ex)
        {
            Complete(ex.StatusCode);
            throw;
        }
    }

    public Task WriteAsync(TRequest message) => Write(message, CancellationToken.None, withToken: false);

    public Task WriteAsync(TRequest message, CancellationToken cancellationToken) => Write(message, cancellationToken, withToken: true);

    /// <summary>Writes on the inner call (through the overload the caller used), once it started.</summary>
    private Task Write(TRequest message, CancellationToken cancellationToken, bool withToken)
    {
        if (Started is not { } inner)
        {
            return WriteAfterStartAsync(message, cancellationToken, withToken);
        }
        try
        {
            return withToken ? inner.Writer!.WriteAsync(message, cancellationToken) : inner.Writer!.WriteAsync(message);
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    private async Task WriteAfterStartAsync(TRequest message, CancellationToken cancellationToken, bool withToken)
    {
        var inner = await StartedAsync().ConfigureAwait(false);
        await (withToken ? inner.Writer!.WriteAsync(message, cancellationToken) : inner.Writer!.WriteAsync(message)).ConfigureAwait(false);
    }

    public async Task CompleteAsync()
    {
        var inner = await StartedAsync().ConfigureAwait(false);
        await inner.Writer!.CompleteAsync().ConfigureAwait(false);
    }

    public async Task<TResponse> ResponseAsync()
    {
        var inner = await StartedAsync().ConfigureAwait(false);
        try
        {
            var response = await inner.Response!.ConfigureAwait(false);
            Complete(StatusCode.OK);
            return response;
        }
        catch (RpcException ex)
        {
            Complete(ex.StatusCode);
            throw;
        }
    }

    public async Task<Metadata> HeadersAsync()
    {
        var inner = await StartedAsync().ConfigureAwait(false);
        return await inner.Headers.ConfigureAwait(false);
    }

    public Status GetStatus()
        => _failure ?? _inner?.Status() ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    public Metadata GetTrailers()
        => _failure is not null ? Metadata.Empty : _inner?.Trailers() ?? throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");

    public void Dispose()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed twice.
        }
        _inner?.Dispose();
        // Ended by the caller: not the endpoint's fault.
        Complete(StatusCode.Cancelled);
        _cancellation.Dispose();
    }

    /// <summary>The inner call once it started on an endpoint; null while it is starting or when it could not start.</summary>
    private InnerCall? Started => _started.IsCompletedSuccessfully && _failure is null ? _inner : null;

    private async Task<InnerCall> StartedAsync()
    {
        await _started.ConfigureAwait(false);
        if (_failure is { } failure)
        {
            throw new RpcException(failure);
        }
        return _inner!;
    }

    private async Task StartAsync()
    {
        try
        {
            await PickAndStartAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Disposed by the caller while waiting for a ready instance.
            _failure = UnaryOutcome.CancelledByCaller;
        }
    }

    private async Task PickAndStartAsync()
    {
        for (var i = 0; ; i++)
        {
            var pick = await _runtime.PickAsync(_context, _options.Deadline, _startTimestamp, _options.CancellationToken).ConfigureAwait(false);
            if (pick.Type != PickResultType.Endpoint)
            {
                _failure = pick.Status;
                return;
            }
            if (_cancellation.IsCancellationRequested)
            {
                _failure = UnaryOutcome.CancelledByCaller;
                return;
            }
            if (pick.Endpoint!.Connection.State != ConnectionState.Ready && i < TransparentRepicks)
            {
                await Task.Yield();
                continue;
            }
            StartOn(pick);
            return;
        }
    }

    private void StartOn(PickResult pick)
    {
        _tracker = pick.Tracker;
        _tracker!.Start();
        try
        {
            var inner = _create(pick.Endpoint!.Connection.Invoker, _options);
            if (inner.Writer is not null && _writeOptions is not null)
            {
                inner.Writer.WriteOptions = _writeOptions;
            }
            _inner = inner;
        }
        catch (RpcException ex)
        {
            _failure = ex.Status;
            Complete(ex.StatusCode);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException)
        {
            _failure = new Status(StatusCode.Unavailable, $"Connection to {pick.Endpoint!.Address} failed: {ex.Message}", ex);
            Complete(StatusCode.Unavailable);
        }
    }

    private void Complete(StatusCode code)
    {
        if (_tracker is null || Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }
        // A stream's Cancelled is not told apart from the caller's own: never charged.
        _runtime.Outcome.CompleteAttempt(_tracker, Timeout.InfiniteTimeSpan, code, cancelledByCaller: code == StatusCode.Cancelled);
    }
}
