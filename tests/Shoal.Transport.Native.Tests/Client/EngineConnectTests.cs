using System.Net;
using System.Net.Sockets;
using Shoal.Client.Native.Internal.Client;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Client;

/// <summary>
/// The engine receive path's connect (<see cref="EngineConnect"/>) on real loopback sockets, with an engine of the
/// test's own: it connects, to a host name's addresses in turn; a refused port fails with the socket's error; and a
/// peer that drops the attempt (a listener whose accept queue is full) leaves it waiting in the engine until it is
/// cancelled, after which the engine holds nothing of it.
/// </summary>
public sealed class EngineConnectTests : IDisposable
{
    private readonly ReceiveEngine? _engine = ReceiveEngine.CreateForTests();

    public void Dispose() => _engine?.Dispose();

    [Fact]
    public async Task Connect_ToAListener_GivesAConnectedBlockingSocket()
    {
        if (_engine is null)
        {
            return;
        }
        using var listener = Listener(backlog: 8);

        using var socket = await EngineConnect.ConnectAsync(listener.LocalEndPoint!, _engine, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        using var server = listener.Accept();
        socket.Send([7, 8]);
        var buffer = new byte[2];
        server.ReceiveTimeout = 10_000;
        var received = server.Receive(buffer);

        Assert.True(socket.Blocking);
        Assert.Equal(2, received);
        Assert.Equal([7, 8], buffer);
        Assert.Equal(0, _engine.Connections);
    }

    [Fact]
    public async Task Connect_ToAHostName_TriesItsAddressesInTurn()
    {
        if (_engine is null)
        {
            return;
        }
        // Listening on 127.0.0.1 only: where "localhost" also names ::1, that address is refused and the next one taken.
        using var listener = Listener(backlog: 8);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        using var socket = await EngineConnect.ConnectAsync(new DnsEndPoint("localhost", port), _engine, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        using var server = listener.Accept();

        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)server.LocalEndPoint!).Address);
    }

    [Fact]
    public async Task Connect_ToAClosedPort_FailsWithConnectionRefused()
    {
        if (_engine is null)
        {
            return;
        }
        EndPoint closed;
        using (var listener = Listener(backlog: 1))
        {
            closed = listener.LocalEndPoint!;
        }

        var error = await Assert.ThrowsAsync<SocketException>(() => EngineConnect.ConnectAsync(closed, _engine, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.Equal(0, _engine.Connections);
    }

    [Fact]
    public async Task Connect_ToAPeerThatDropsIt_WaitsInTheEngineUntilCancelled()
    {
        if (_engine is null)
        {
            return;
        }
        using var dropping = await DroppingListener.StartAsync();
        using var cancel = new CancellationTokenSource();

        var connect = EngineConnect.ConnectAsync(dropping.EndPoint, _engine, cancel.Token);
        await Task.Delay(500);
        var waiting = !connect.IsCompleted;
        var registered = _engine.Connections;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(waiting, "the attempt was still waiting after 500 ms");
        Assert.Equal(1, registered);
        Assert.Equal(0, _engine.Connections);
    }

    private static Socket Listener(int backlog)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        return listener;
    }
}
