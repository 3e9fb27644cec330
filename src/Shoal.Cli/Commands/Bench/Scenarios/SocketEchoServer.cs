using System.Net;
using System.Net.Sockets;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>
/// The server end of <see cref="SocketEcho"/>: a loopback listener whose connections answer every
/// whole request of <c>requestBytes</c> bytes with a reply of <c>replyBytes</c> bytes, in order,
/// the replies to one read sent in one write. No framing beyond the fixed sizes, no dispatch, no
/// Shoal code: what the kernel and .NET's asynchronous sockets cost for the same bytes.
/// </summary>
internal sealed class SocketEchoServer : IAsyncDisposable
{
    /// <summary>Bytes read at once; replies to everything in one read go back in one write.</summary>
    internal const int ReadBufferBytes = 16 * 1024;

    private readonly Socket _listener;
    private readonly int _requestBytes;
    private readonly int _replyBytes;
    private readonly List<Socket> _accepted = [];
    private readonly List<Task> _serving = [];
    private readonly Task _accepting;
    private bool _disposed;

    private SocketEchoServer(Socket listener, int requestBytes, int replyBytes)
    {
        _listener = listener;
        _requestBytes = requestBytes;
        _replyBytes = replyBytes;
        _accepting = AcceptAsync();
    }

    /// <summary>The address it listens on (127.0.0.1, a free port).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Listens on a free loopback port with room for <paramref name="backlog"/> pending connections.</summary>
    public static SocketEchoServer Start(int requestBytes, int replyBytes, int backlog)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replyBytes, 1);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(Math.Max(backlog, 16));
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new SocketEchoServer(listener, requestBytes, replyBytes);
    }

    /// <summary>The request pattern a client sends: byte i of every request is <c>i</c> (mod 256).</summary>
    public static byte[] Requests(int requestBytes, int count) => Pattern(requestBytes, count, 0);

    /// <summary>The reply pattern the server sends: byte i of every reply is <c>0x80 + i</c> (mod 256).</summary>
    public static byte[] Replies(int replyBytes, int count) => Pattern(replyBytes, count, 0x80);

    private static byte[] Pattern(int size, int count, int first)
    {
        var bytes = new byte[size * count];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(first + (i % size));
        }
        return bytes;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync().ConfigureAwait(false);
                socket.NoDelay = true;
                lock (_accepted)
                {
                    if (_disposed)
                    {
                        socket.Dispose();
                        return;
                    }
                    _accepted.Add(socket);
                    _serving.Add(ServeAsync(socket));
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The listener was closed: the run is over.
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var buffer = new byte[ReadBufferBytes];
        var replies = Replies(_replyBytes, (ReadBufferBytes / _requestBytes) + 1);
        var partial = 0;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }
                partial += read;
                var whole = partial / _requestBytes;
                partial %= _requestBytes;
                if (whole > 0)
                {
                    await socket.SendAsync(replies.AsMemory(0, whole * _replyBytes), SocketFlags.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client went away or the server was disposed.
        }
        finally
        {
            // The client has no more requests: close this end too, so it sees the end of the replies.
            socket.Dispose();
        }
    }

    /// <summary>Closes the listener and every accepted connection, and waits (bounded) for their loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        Task[] serving;
        lock (_accepted)
        {
            _disposed = true;
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
            serving = [.. _serving];
        }
        await Task.WhenAll([_accepting, .. serving]).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }
}
