using Grpc.Core;
using Shoal.Connections;

namespace Shoal.Cluster.Tests.Fakes;

/// <summary>A connection whose state the test sets and whose calls go to a <see cref="TestCallInvoker"/>.</summary>
public sealed class FakeConnection : IConnection
{
    private ConnectionState _state;

    public FakeConnection(Uri address, TestCallInvoker? invoker = null, bool readyOnConnect = true, ConnectionState initial = ConnectionState.Idle, bool observing = false)
    {
        Address = address;
        TestInvoker = invoker ?? new TestCallInvoker(address);
        Invoker = observing ? new ObservingTestCallInvoker(TestInvoker) : TestInvoker;
        ReadyOnConnect = readyOnConnect;
        _state = initial;
    }

    public Uri Address { get; }

    public ConnectionState State => _state;

    public event Action<IConnection, ConnectionState>? StateChanged;

    public CallInvoker Invoker { get; }

    public TestCallInvoker TestInvoker { get; }

    public bool ReadyOnConnect { get; set; }

    public int ConnectCalls { get; private set; }

    public bool IsDisposed { get; private set; }

    public ValueTask ConnectAsync(CancellationToken cancellationToken = default)
    {
        ConnectCalls++;
        if (ReadyOnConnect && _state is ConnectionState.Idle or ConnectionState.Connecting)
        {
            SetState(ConnectionState.Ready);
        }
        return ValueTask.CompletedTask;
    }

    public void SetState(ConnectionState state)
    {
        _state = state;
        StateChanged?.Invoke(this, state);
    }

    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        SetState(ConnectionState.Shutdown);
        return ValueTask.CompletedTask;
    }
}
