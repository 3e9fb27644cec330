using Grpc.Core;
using Grpc.Net.Client;
using Shoal.Connections;

namespace Shoal.Client.Grpc;

/// <summary>
/// One <see cref="GrpcChannel"/> to one gRPC server, seen as a Shoal connection: grpc-dotnet's
/// connectivity state is mirrored into <see cref="State"/>.
/// </summary>
/// <remarks>
/// grpc-dotnet moves a connection that broke back to IDLE and waits for the next call before it
/// dials again. Shoal's model reports a broken connection as
/// <see cref="ConnectionState.TransientFailure"/> and reconnects by itself (with grpc-dotnet's
/// backoff), so a balancer sees the failure at once and the connection comes back without a call.
/// </remarks>
public sealed class GrpcConnection : IConnection
{
    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Task _watch;
    private int _state = (int)ConnectionState.Idle;
    private int _reconnecting;
    private bool _wasReady;

    internal GrpcConnection(Uri address, GrpcChannel channel)
    {
        Address = address;
        _channel = channel;
        Invoker = channel.CreateCallInvoker();
        _watch = WatchAsync();
    }

    /// <inheritdoc/>
    public Uri Address { get; }

    /// <inheritdoc/>
    public ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    /// <inheritdoc/>
    public event Action<IConnection, ConnectionState>? StateChanged;

    /// <inheritdoc/>
    public CallInvoker Invoker { get; }

    /// <summary>The underlying grpc-dotnet channel.</summary>
    public GrpcChannel Channel => _channel;

    /// <inheritdoc/>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        await _channel.ConnectAsync(cancellationToken).ConfigureAwait(false);
        SetState(Map(_channel.State));
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }
        _disposed.Cancel();
        _channel.Dispose();
        try
        {
            await _watch.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The watch loop ends by cancellation or by the channel's disposal.
        }
        SetState(ConnectionState.Shutdown);
        _disposed.Dispose();
    }

    internal static ConnectionState Map(ConnectivityState state) => state switch
    {
        ConnectivityState.Idle => ConnectionState.Idle,
        ConnectivityState.Connecting => ConnectionState.Connecting,
        ConnectivityState.Ready => ConnectionState.Ready,
        ConnectivityState.TransientFailure => ConnectionState.TransientFailure,
        _ => ConnectionState.Shutdown,
    };

    private async Task WatchAsync()
    {
        // Yield first so the constructor returns before the loop touches the channel.
        await Task.Yield();
        var token = _disposed.Token;
        while (!token.IsCancellationRequested)
        {
            var observed = _channel.State;
            if (observed == ConnectivityState.Ready)
            {
                _wasReady = true;
            }
            if (observed == ConnectivityState.Idle && _wasReady)
            {
                // Was connected, now idle: the connection broke.
                SetState(ConnectionState.TransientFailure);
                Reconnect(token);
            }
            else if (observed != ConnectivityState.Connecting || State != ConnectionState.TransientFailure)
            {
                // (Reconnecting after a break stays a failure until it is ready again.)
                SetState(Map(observed));
            }
            if (observed == ConnectivityState.Shutdown)
            {
                return;
            }
            await _channel.WaitForStateChangedAsync(observed, token).ConfigureAwait(false);
        }
    }

    private void Reconnect(CancellationToken token)
    {
        if (Interlocked.Exchange(ref _reconnecting, 1) != 0)
        {
            return;
        }
        _ = ReconnectAsync(token);
    }

    private async Task ReconnectAsync(CancellationToken token)
    {
        try
        {
            await _channel.ConnectAsync(token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // Disposed while reconnecting: nothing to do.
        }
        finally
        {
            Volatile.Write(ref _reconnecting, 0);
        }
    }

    private void SetState(ConnectionState state)
    {
        var previous = (ConnectionState)Interlocked.Exchange(ref _state, (int)state);
        if (previous != state)
        {
            StateChanged?.Invoke(this, state);
        }
    }
}
