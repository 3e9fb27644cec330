using System.Net;
using System.Net.Sockets;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// Connects a socket for the engine receive path without holding a thread while the peer answers: the connect is
/// started non-blocking and its completion is waited for in the <see cref="ReceiveEngine"/> (the socket armed
/// for writability, one-shot). A peer that drops connection attempts (a full accept queue, a firewall, a dead
/// host's address) so costs a registration until the timeout, not a blocked thread-pool thread. No asynchronous
/// socket call is made, so the socket never joins the runtime's socket engine (see <see cref="EngineSocketStream"/>).
/// </summary>
internal sealed class EngineConnect : IEngineWaiter
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc/>
    public void OnReady() => _ready.TrySetResult();

    /// <summary>
    /// Connects to <paramref name="endPoint"/> (a host name's addresses in turn, as <see cref="Socket.Connect(EndPoint)"/> does) and
    /// returns the connected socket, in blocking mode; its reads and writes are the caller's non-blocking calls.
    /// </summary>
    /// <exception cref="SocketException">No address could be connected to; the last address's error.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public static async Task<Socket> ConnectAsync(EndPoint endPoint, ReceiveEngine engine, CancellationToken cancellationToken)
    {
        var (addresses, port) = endPoint switch
        {
            IPEndPoint ip => ([ip.Address], ip.Port),
            DnsEndPoint dns => (await Dns.GetHostAddressesAsync(dns.Host, cancellationToken).ConfigureAwait(false), dns.Port),
            _ => throw new ArgumentException($"Cannot connect to a {endPoint.GetType().Name}.", nameof(endPoint)),
        };
        SocketException? last = null;
        foreach (var address in addresses)
        {
            // A socket whose connect failed is not connected again (POSIX leaves it unspecified): a new one per address.
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await ConnectAsync(socket, new IPEndPoint(address, port), engine, cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static async Task ConnectAsync(Socket socket, IPEndPoint endPoint, ReceiveEngine engine, CancellationToken cancellationToken)
    {
        socket.Blocking = false;
        try
        {
            socket.Connect(endPoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            var waiter = new EngineConnect();
            var id = engine.Add(waiter);
            var armed = false;
            try
            {
                engine.ArmWritable(socket.SafeHandle, id, ref armed);
                await waiter._ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                engine.Remove(socket.SafeHandle, id, armed);
            }
            // Writable means the attempt ended: connected, or the reason it failed.
            var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }
        }
        socket.Blocking = true;
    }
}
