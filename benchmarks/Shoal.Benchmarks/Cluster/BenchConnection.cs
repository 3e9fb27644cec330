using Grpc.Core;
using Shoal.Connections;

namespace Shoal.Benchmarks.Cluster;

/// <summary>A connection that is always ready and never carries a call: pickers only read its state.</summary>
internal sealed class BenchConnection(Uri address) : IConnection
{
    public Uri Address { get; } = address;

    public ConnectionState State => ConnectionState.Ready;

    public event Action<IConnection, ConnectionState>? StateChanged
    {
        add { }
        remove { }
    }

    public CallInvoker Invoker => throw new NotSupportedException("Benchmarks only pick.");

    public ValueTask ConnectAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
