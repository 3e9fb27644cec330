using Grpc.Core;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Telemetry;

namespace Shoal.Client.Cluster.Internal;

/// <summary>
/// A unary call of a <see cref="FirstAttemptStrategy"/> whose pick found a ready endpoint at once:
/// the first attempt goes straight to that endpoint with the caller's own options (no linked
/// cancellation source, no strategy state machine), and the strategy runs only if it fails.
/// </summary>
/// <remarks>
/// Disposing the call cancels it: the attempt in flight is disposed, and a retry phase in progress
/// (which has its own cancellation source, made only when it starts) is cancelled.
/// </remarks>
internal sealed class FastPathUnaryCall<TRequest, TResponse>
    where TRequest : class
    where TResponse : class
{
    private readonly ClusterRuntime _runtime;
    private readonly Method<TRequest, TResponse> _method;
    private readonly string? _host;
    private readonly CallOptions _options;
    private readonly TRequest _request;
    private readonly MethodPolicy _policy;
    private readonly FirstAttemptStrategy _strategy;
    private readonly ClusterEndpoint _endpoint;
    private readonly ICallTracker _tracker;
    private readonly long _startTimestamp;
    private AsyncUnaryCall<TResponse>? _first;
    private CancellationTokenSource? _retryCancellation;
    private AttemptResult<TResponse> _result;
    private Task<TResponse>? _response;
    private bool _firstAnswered;
    private int _disposed;
    private volatile bool _done;

    private FastPathUnaryCall(ClusterRuntime runtime, Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request,
        MethodPolicy policy, FirstAttemptStrategy strategy, in PickResult pick)
    {
        _runtime = runtime;
        _method = method;
        _host = host;
        _options = options;
        _request = request;
        _policy = policy;
        _strategy = strategy;
        _endpoint = pick.Endpoint!;
        _tracker = pick.Tracker!;
        _startTimestamp = runtime.TimeProvider.GetTimestamp();
    }

    /// <summary>Sends the first attempt to the endpoint of <paramref name="pick"/> and returns the call.</summary>
    public static AsyncUnaryCall<TResponse> Start(ClusterRuntime runtime, Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request,
        MethodPolicy policy, FirstAttemptStrategy strategy, in PickResult pick)
    {
        var call = new FastPathUnaryCall<TRequest, TResponse>(runtime, method, host, options, request, policy, strategy, pick);
        call._response = call.RunAsync();
        // State-passing callbacks: no delegates to allocate, and the headers are only looked at when asked for.
        return new AsyncUnaryCall<TResponse>(call._response,
            static state => ((FastPathUnaryCall<TRequest, TResponse>)state).GetHeadersAsync(),
            static state => ((FastPathUnaryCall<TRequest, TResponse>)state).GetStatus(),
            static state => ((FastPathUnaryCall<TRequest, TResponse>)state).GetTrailers(),
            static state => ((FastPathUnaryCall<TRequest, TResponse>)state).Dispose(),
            call);
    }

    private async Task<TResponse> RunAsync()
    {
        _tracker.Start();
        var attempt = AttemptTracing.Start(_method.FullName, _endpoint);
        AttemptResult<TResponse> result;
        try
        {
            var call = _endpoint.Connection.Invoker.AsyncUnaryCall(_method, _host, _options, _request);
            _first = call;
            var response = await call.ResponseAsync.ConfigureAwait(false);
            // The headers stay with the attempt until someone asks (see GetHeadersAsync).
            result = AttemptResult<TResponse>.Success(response, null, call.GetTrailers(), _endpoint);
            _firstAnswered = true;
        }
        catch (Exception ex)
        {
            result = UnaryOutcome.FailedAttempt<TResponse>(ex, _endpoint, IsCancelled, _runtime.IsPast(_options.Deadline));
        }
        _runtime.Outcome.CompleteAttempt(_tracker, _runtime.TimeProvider.GetElapsedTime(_startTimestamp), result.Status.StatusCode, IsCancelled);
        RpcActivities.Stop(attempt, result.Status.StatusCode, result.Status.Detail);
        if (!result.IsSuccess && Volatile.Read(ref _disposed) == 0)
        {
            result = await AfterFailureAsync(result).ConfigureAwait(false);
        }
        result = UnaryOutcome.Final(result, IsCancelled);
        _result = result;
        _done = true;
        if (result.IsSuccess)
        {
            return result.Response!;
        }
        throw new RpcException(result.Status, result.Trailers ?? Metadata.Empty);
    }

    private bool IsCancelled => _options.CancellationToken.IsCancellationRequested || Volatile.Read(ref _disposed) != 0;

    /// <summary>The first attempt failed: the strategy decides, under a cancellation source of its own.</summary>
    private async Task<AttemptResult<TResponse>> AfterFailureAsync(AttemptResult<TResponse> failed)
    {
        var callerToken = _options.CancellationToken;
        var cancellation = callerToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(callerToken) : new CancellationTokenSource();
        Volatile.Write(ref _retryCancellation, cancellation);
        if (Volatile.Read(ref _disposed) != 0)
        {
            cancellation.Cancel();
        }
        try
        {
            var call = new ClusterCall<TRequest, TResponse>(_runtime, _method, _host, _options.WithCancellationToken(cancellation.Token), _request, _policy, _startTimestamp);
            return await _strategy.AfterFailureAsync(call, failed).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return UnaryOutcome.StrategyFailed<TResponse>(ex);
        }
        finally
        {
            Volatile.Write(ref _retryCancellation, null);
            cancellation.Dispose();
        }
    }

    /// <summary>
    /// The final attempt's headers: the first attempt's own when it answered, else those the
    /// strategy's result carries. Asked before the end, it waits for the response (the caller's
    /// own await on the response, made first, still runs inline: a task runs only its first
    /// awaiting continuation inline).
    /// </summary>
    private Task<Metadata> GetHeadersAsync()
    {
        if (!_done)
        {
            return HeadersAfterResponseAsync();
        }
        return _firstAnswered && _result.IsSuccess ? _first!.ResponseHeadersAsync : Task.FromResult(_result.Headers ?? Metadata.Empty);
    }

    private async Task<Metadata> HeadersAfterResponseAsync()
    {
        await ((Task)_response!).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return await GetHeadersAsync().ConfigureAwait(false);
    }

    private Status GetStatus() => _done
        ? _result.Status
        : throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    private Metadata GetTrailers() => _done
        ? _result.Trailers ?? Metadata.Empty
        : throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");

    private void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || _done)
        {
            return;
        }
        _first?.Dispose();
        try
        {
            Volatile.Read(ref _retryCancellation)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The retry phase ended in between.
        }
    }
}
