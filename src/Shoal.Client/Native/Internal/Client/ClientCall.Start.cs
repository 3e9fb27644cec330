using Grpc.Core;

namespace Shoal.Client.Native.Internal.Client;

internal sealed partial class ClientCall<TRequest, TResponse>
{
    private static readonly Func<object, Task<Metadata>> s_headers = static s => ((ClientCall<TRequest, TResponse>)s).ResponseHeadersAsync;
    private static readonly Func<object, Status> s_status = static s => ((ClientCall<TRequest, TResponse>)s).GetStatus();
    private static readonly Func<object, Metadata> s_trailers = static s => ((ClientCall<TRequest, TResponse>)s).GetTrailers();
    private static readonly Action<object> s_dispose = static s => ((ClientCall<TRequest, TResponse>)s).Dispose();

    public AsyncUnaryCall<TResponse> AsUnary() => new(Task, s_headers, s_status, s_trailers, s_dispose, this);

    public AsyncServerStreamingCall<TResponse> AsServerStreaming() => new(this, s_headers, s_status, s_trailers, s_dispose, this);

    public AsyncClientStreamingCall<TRequest, TResponse> AsClientStreaming() => new(this, Task, s_headers, s_status, s_trailers, s_dispose, this);

    public AsyncDuplexStreamingCall<TRequest, TResponse> AsDuplexStreaming() => new(this, this, s_headers, s_status, s_trailers, s_dispose, this);

    private bool IsStreaming => _method.Type != MethodType.Unary;

    /// <summary>Starts the call: on the ready transport right away, or once the connection is ready.</summary>
    public void Start(TRequest? request)
    {
        if (IsStreaming)
        {
            _callCts = new CancellationTokenSource();
            _started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var remaining = deadline.ToUniversalTime() - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                TryFinish(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), null, null, dropQueued: true);
                return;
            }
            _deadlineTimer = TimeProvider.System.CreateTimer(
                static s => ((ClientCall<TRequest, TResponse>)s!).Cancel(StatusCode.DeadlineExceeded, "Deadline Exceeded"),
                this, remaining, Timeout.InfiniteTimeSpan);
        }
        var token = _options.CancellationToken;
        if (token.CanBeCanceled)
        {
            _cancellation = token.UnsafeRegister(static s => ((ClientCall<TRequest, TResponse>)s!).CancelByCaller(), this);
        }
        if (IsCompleted)
        {
            return;
        }
        if (_options.Credentials is not null)
        {
            _callCts ??= new CancellationTokenSource();
            _ = StartWithCredentialsAsync(request, _callCts.Token);
            return;
        }
        if (_connection.ReadyTransport is { } transport)
        {
            Send(transport, request);
            return;
        }
        _callCts ??= new CancellationTokenSource();
        _ = StartWhenReadyAsync(request, _callCts.Token);
    }

    /// <summary>Adds what the call's credentials give to its headers (over TLS only, unless opted out), then starts it.</summary>
    private async Task StartWithCredentialsAsync(TRequest? request, CancellationToken callToken)
    {
        var tls = _connection.Options.Tls is not null;
        if (!tls && !_connection.Options.UnsafeUseInsecureChannelCallCredentials)
        {
            TryFinish(NativeCallCredentials.Insecure, null, null, dropQueued: true);
            return;
        }
        try
        {
            _credentialHeaders = await NativeCallCredentials.GetHeadersAsync(_options.Credentials!, _connection.Address, tls, _method, _options.Headers, callToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            TryFinish(e.Status, null, null, dropQueued: true);
            return;
        }
        catch (OperationCanceledException)
        {
            // The call finished (deadline, cancellation) while the credentials were fetched.
            return;
        }
        if (_connection.ReadyTransport is { } transport)
        {
            Send(transport, request);
            return;
        }
        await StartWhenReadyAsync(request, callToken).ConfigureAwait(false);
    }

    private async Task StartWhenReadyAsync(TRequest? request, CancellationToken callToken)
    {
        try
        {
            var transport = await _connection.WaitForTransportAsync(_options.IsWaitForReady, callToken).ConfigureAwait(false);
            Send(transport, request);
        }
        catch (RpcException e)
        {
            TryFinish(e.Status, null, null, dropQueued: true);
        }
        catch (OperationCanceledException)
        {
            // The call finished (deadline, cancellation) while it waited; TryFinish already ran.
        }
    }

    /// <summary>The connection's output is over its limit: wait for room (bounded by the call's deadline and cancellation), then start.</summary>
    private async Task StartWhenRoomAsync(ClientTransport transport, TRequest? request, CancellationToken callToken)
    {
        try
        {
            await transport.Writer.WaitForRoomAsync(callToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The call finished (deadline, cancellation) while it waited; TryFinish already ran.
            return;
        }
        Send(transport, request);
    }

    /// <summary>The connection has as many calls as the server accepts: wait for one to end (bounded by the call's deadline and cancellation), then start.</summary>
    private async Task StartWhenSlotAsync(ClientTransport transport, TRequest? request, CancellationToken callToken)
    {
        try
        {
            await transport.Calls.WaitForSlotAsync(callToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The call finished (deadline, cancellation) while it waited; TryFinish already ran.
            return;
        }
        Send(transport, request);
    }

    private void Send(ClientTransport transport, TRequest? request)
    {
        if (IsCompleted)
        {
            return;
        }
        _transport = transport;
        ulong timeoutMicros = 0;
        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var remaining = deadline.ToUniversalTime() - DateTime.UtcNow;
            timeoutMicros = (ulong)Math.Max(1, remaining.Ticks / 10);
        }
        var outcome = transport.StartCall(this, MethodNames.Get(_method), _host, timeoutMicros, Shoal.Telemetry.RpcActivities.Inject(_credentialHeaders ?? _options.Headers), request, _method.RequestMarshaller, out var id, out var failure);
        if (outcome == StartOutcome.OutputFull)
        {
            _callCts ??= new CancellationTokenSource();
            _ = StartWhenRoomAsync(transport, request, _callCts.Token);
            return;
        }
        if (outcome == StartOutcome.CallLimit)
        {
            _callCts ??= new CancellationTokenSource();
            _ = StartWhenSlotAsync(transport, request, _callCts.Token);
            return;
        }
        if (outcome == StartOutcome.Failed)
        {
            if (failure.StatusCode == StatusCode.Unavailable && transport.IdsExhausted)
            {
                // Lost the race with the call that used up this connection's ids: wait for its successor.
                _callCts ??= new CancellationTokenSource();
                _ = StartWhenReadyAsync(request, _callCts.Token);
                return;
            }
            TryFinish(failure, null, null, dropQueued: true);
            _started?.TrySetResult();
            return;
        }
        if (IsCompleted)
        {
            // Cancelled or timed out while the frame was being queued: tell the server too.
            transport.SendCancel(id, _status.StatusCode, _status.Detail);
        }
        _started?.TrySetResult();
    }
}
