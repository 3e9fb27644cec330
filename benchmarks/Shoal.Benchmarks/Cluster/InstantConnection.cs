using Grpc.Core;
using Shoal.Connections;

namespace Shoal.Benchmarks.Cluster;

/// <summary>A connection that is ready once asked to connect and whose calls complete at once.</summary>
internal sealed class InstantConnection(Uri address, InstantCallInvoker invoker) : IConnection
{
    private ConnectionState _state = ConnectionState.Idle;

    public Uri Address { get; } = address;

    public ConnectionState State => _state;

    public event Action<IConnection, ConnectionState>? StateChanged;

    public CallInvoker Invoker => invoker;

    public ValueTask ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (_state == ConnectionState.Idle)
        {
            _state = ConnectionState.Ready;
            StateChanged?.Invoke(this, ConnectionState.Ready);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _state = ConnectionState.Shutdown;
        StateChanged?.Invoke(this, ConnectionState.Shutdown);
        return ValueTask.CompletedTask;
    }
}
