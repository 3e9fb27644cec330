using System.Net;
using System.Net.Sockets;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>One raw connection of an attack: sends what it is told and reads everything the server sends until it closes.</summary>
public sealed class AttackPeer : IDisposable
{
    private readonly Socket _socket;
    private readonly MemoryStream _received = new();
    private Task<bool>? _reading;

    private AttackPeer(Socket socket) => _socket = socket;

    public static async Task<AttackPeer> ConnectAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new AttackPeer(socket);
    }

    /// <summary>Sends all of <paramref name="bytes"/>; false when the server closed the connection first.</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                var sent = await _socket.SendAsync(bytes, SocketFlags.None);
                bytes = bytes[sent..];
            }
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Starts reading in the background (a peer that never reads just does not call this).</summary>
    public void StartReading(TimeSpan timeout) => _reading ??= ReadAsync(timeout);

    /// <summary>Reads until the server closes the connection; true when it did within the timeout.</summary>
    public Task<bool> ClosedAsync(TimeSpan timeout)
    {
        StartReading(timeout);
        return _reading!;
    }

    /// <summary>The frames received so far.</summary>
    public List<ReceivedFrame> Frames()
    {
        lock (_received)
        {
            return WireFrames.Parse(_received.GetBuffer().AsSpan(0, (int)_received.Length));
        }
    }

    /// <summary>The bytes received so far, for peers that speak another protocol (HTTP/2 on the gRPC port).</summary>
    public byte[] Received()
    {
        lock (_received)
        {
            return _received.ToArray();
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _received.Dispose();
    }

    private async Task<bool> ReadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            if (n == 0)
            {
                return true;
            }
            lock (_received)
            {
                _received.Write(buffer, 0, n);
            }
        }
    }
}
