using Grpc.Core;
using Microsoft.Extensions.Logging;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Internal.Client;
using Shoal.Connections;

namespace Shoal.Client.Native;

/// <summary>
/// A native-protocol connection to one instance: many concurrent calls multiplexed over one TCP
/// (or TLS) connection, reconnecting with backoff when it drops.
/// </summary>
/// <remarks>
/// Calls in flight on a connection that breaks fail with <see cref="StatusCode.Unavailable"/>. A new
/// call waits while the connection is <see cref="ConnectionState.Idle"/> or
/// <see cref="ConnectionState.Connecting"/> (up to its deadline); in
/// <see cref="ConnectionState.TransientFailure"/> or <see cref="ConnectionState.Draining"/> it fails
/// fast with Unavailable so a cluster client can pick another instance, unless the call asks
/// <see cref="CallOptions.WithWaitForReady"/>, in which case it waits for the reconnect. A server
/// that closes the connection gracefully (go-away NoError, such as its idle timeout) puts it back in
/// <see cref="ConnectionState.Idle"/>: it dials again when the next call (or <see cref="ConnectAsync"/>) needs it.
/// Failures of calls that were never written, and of calls above the last id of the server's
/// go-away, are marked as never started (<see cref="Shoal.Errors.CallNotStarted"/>): sending them
/// elsewhere is safe.
/// </remarks>
public sealed class NativeClientConnection : IConnection
{
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private ConnectionState _state = ConnectionState.Idle;
    private TaskCompletionSource _stateSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientTransport? _transport;
    private Task? _loop;

    internal NativeClientConnection(Uri address, NativeClientOptions options, ILogger logger)
    {
        Address = address;
        Options = options;
        _logger = logger;
        Invoker = new NativeCallInvoker(this);
    }

    /// <inheritdoc/>
    public Uri Address { get; }

    /// <inheritdoc/>
    public ConnectionState State => _state;

    /// <inheritdoc/>
    public event Action<IConnection, ConnectionState>? StateChanged;

    /// <inheritdoc/>
    public CallInvoker Invoker { get; }

    internal NativeClientOptions Options { get; }

    /// <summary>The transport new calls go to right now, or null when none is ready.</summary>
    internal ClientTransport? ReadyTransport => _transport is { IsUsable: true } transport ? transport : null;

    /// <inheritdoc/>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            EnsureStarted();
            Task changed;
            lock (_lock)
            {
                if (_state == ConnectionState.Ready)
                {
                    return;
                }
                ObjectDisposedException.ThrowIf(_state == ConnectionState.Shutdown, this);
                changed = _stateSignal.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task<ClientTransport> WaitForTransportAsync(bool waitForReady, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Each time: a connection that went idle meanwhile has no dialing loop until someone asks.
            EnsureStarted();
            Task changed;
            lock (_lock)
            {
                if (_state == ConnectionState.Ready && ReadyTransport is { } transport)
                {
                    return transport;
                }
                if (_state == ConnectionState.Shutdown)
                {
                    throw new RpcException(Shoal.Errors.CallNotStarted.Status($"The connection to {Address} was disposed."));
                }
                if (!waitForReady && _state is ConnectionState.TransientFailure or ConnectionState.Draining)
                {
                    throw new RpcException(Shoal.Errors.CallNotStarted.Status($"The connection to {Address} is {_state}."));
                }
                changed = _stateSignal.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }
        _disposed.Cancel();
        ClientTransport? transport;
        lock (_lock)
        {
            transport = _transport;
            _transport = null;
        }
        transport?.Close("the connection was disposed");
        SetState(ConnectionState.Shutdown);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _disposed.Dispose();
    }

    internal void OnTransportDraining(ClientTransport transport)
    {
        if (_transport == transport)
        {
            SetState(ConnectionState.Draining);
        }
    }

    internal void OnTransportClosed(ClientTransport transport)
    {
        lock (_lock)
        {
            if (_transport != transport)
            {
                return;
            }
            _transport = null;
        }
        if (transport.ClosedGracefully && !transport.IdsExhausted)
        {
            // RunAsync moves to Idle and ends its loop in one step.
            return;
        }
        SetState(transport.IdsExhausted ? ConnectionState.Connecting : ConnectionState.TransientFailure);
    }

    private void EnsureStarted()
    {
        lock (_lock)
        {
            if (_loop is not null || _state == ConnectionState.Shutdown)
            {
                return;
            }
            _loop = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var backoff = Options.ReconnectBackoffInitial;
        var token = _disposed.Token;
        while (!token.IsCancellationRequested)
        {
            SetState(ConnectionState.Connecting);
            ClientTransport transport;
            try
            {
                transport = await ClientTransport.ConnectAsync(Address, Options, this, _logger, token).ConfigureAwait(false);
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                _logger.ClientConnectionFailed(Address, e.Message);
                SetState(ConnectionState.TransientFailure);
                var jittered = backoff * (0.8 + (Random.Shared.NextDouble() * 0.4));
                await Task.Delay(jittered, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, Options.ReconnectBackoffMax.Ticks));
                continue;
            }
            catch (Exception)
            {
                return;
            }
            backoff = Options.ReconnectBackoffInitial;
            lock (_lock)
            {
                _transport = transport;
            }
            if (token.IsCancellationRequested)
            {
                transport.Close("the connection was disposed");
                return;
            }
            if (transport.Completion.IsCompleted)
            {
                continue;
            }
            SetState(transport.IsDraining ? ConnectionState.Draining : ConnectionState.Ready);
            await transport.Completion.ConfigureAwait(false);
            OnTransportClosed(transport);
            if (transport.ClosedGracefully && !transport.IdsExhausted)
            {
                // Quietly idle: the loop ends and the next call starts a new one (EnsureStarted).
                SetState(ConnectionState.Idle, endLoop: true);
                return;
            }
        }
    }

    /// <summary>Moves to <paramref name="state"/>; with <paramref name="endLoop"/>, also forgets the dialing loop in the same step, so a waiter woken by the change starts a new one.</summary>
    private void SetState(ConnectionState state, bool endLoop = false)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            if (endLoop)
            {
                _loop = null;
            }
            if (_state == state || _state == ConnectionState.Shutdown)
            {
                return;
            }
            _state = state;
            signal = _stateSignal;
            _stateSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _logger.ClientState(Address, state);
        signal.TrySetResult();
        StateChanged?.Invoke(this, state);
    }
}
