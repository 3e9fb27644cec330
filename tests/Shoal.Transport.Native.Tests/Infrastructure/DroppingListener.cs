using System.Net;
using System.Net.Sockets;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>
/// A loopback listener that drops connection attempts, as a firewall or a dead host's address does: it never accepts,
/// and its accept queue is filled, so the kernel drops further attempts (a client would retry for minutes).
/// </summary>
public sealed class DroppingListener : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _fillers;

    private DroppingListener(Socket listener, List<Socket> fillers)
    {
        _listener = listener;
        _fillers = fillers;
    }

    /// <summary>Where attempts go unanswered.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Listens with the shortest queue and connects to it until an attempt no longer completes (at most 16 tries).</summary>
    public static async Task<DroppingListener> StartAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var fillers = new List<Socket>();
        for (var i = 0; i < 16; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            fillers.Add(filler);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await filler.ConnectAsync(listener.LocalEndPoint!, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return new DroppingListener(listener, fillers);
            }
        }
        fillers.ForEach(f => f.Dispose());
        listener.Dispose();
        throw new InvalidOperationException("The listener went on accepting connections: its accept queue never filled.");
    }

    public void Dispose()
    {
        _fillers.ForEach(f => f.Dispose());
        _listener.Dispose();
    }
}
