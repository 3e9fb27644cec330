using Grpc.Core;

namespace Shoal.Connections;

/// <summary>
/// One connection to one instance over one transport: what the cluster client balances over
/// (grpc-dotnet calls it a subchannel). Calls go through <see cref="Invoker"/>.
/// </summary>
public interface IConnection : IAsyncDisposable
{
    /// <summary>The address this connection dials, such as <c>shoal://127.0.0.1:7000</c> or <c>http://127.0.0.1:7001</c>.</summary>
    Uri Address { get; }

    /// <summary>The current state.</summary>
    ConnectionState State { get; }

    /// <summary>Raised after every change of <see cref="State"/>, on whichever thread observed it.</summary>
    event Action<IConnection, ConnectionState>? StateChanged;

    /// <summary>The invoker that carries calls over this connection.</summary>
    CallInvoker Invoker { get; }

    /// <summary>Starts connecting (when idle) and completes once the connection is ready or the token is cancelled.</summary>
    ValueTask ConnectAsync(CancellationToken cancellationToken = default);
}
