using System.Net;
using System.Net.Sockets;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>
/// The client end of one <see cref="SocketEcho"/> connection: its callers' requests pipelined on one
/// socket and their replies matched in order, as the native client multiplexes calls on a
/// connection. Requests queued while a send is under way (or while the receive loop completes
/// replies, whose callers ask again inline) go out together in one send, as the native client's
/// frame writer coalesces; a reply read completes every caller it carries.
/// </summary>
internal sealed class SocketEchoConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly int _replyBytes;
    private readonly int _requestBytes;
    private readonly byte[] _requests;
    private readonly Queue<SocketEchoReply> _waiting = new();
    private readonly Lock _gate = new();
    private int _unsent;
    private bool _sending;
    private Exception? _closed;
    private Task _receiving = Task.CompletedTask;

    private SocketEchoConnection(Socket socket, int requestBytes, int replyBytes, int callers)
    {
        _socket = socket;
        _requestBytes = requestBytes;
        _replyBytes = replyBytes;
        // Each caller has one request in flight, so no more than this many wait to be sent.
        _requests = SocketEchoServer.Requests(requestBytes, callers);
    }

    /// <summary>Connects to <paramref name="server"/> for <paramref name="callers"/> callers, each with one request in flight at most.</summary>
    public static async Task<SocketEchoConnection> ConnectAsync(EndPoint server, int requestBytes, int replyBytes, int callers, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var connection = new SocketEchoConnection(socket, requestBytes, replyBytes, Math.Max(callers, 1));
        connection._receiving = connection.ReceiveAsync();
        return connection;
    }

    /// <summary>Sends one request; completes when its reply has arrived. One call per <paramref name="reply"/> at a time.</summary>
    public ValueTask CallAsync(SocketEchoReply reply)
    {
        reply.Reset();
        bool send;
        lock (_gate)
        {
            if (_closed is { } error)
            {
                return ValueTask.FromException(error);
            }
            _waiting.Enqueue(reply);
            _unsent++;
            send = !_sending;
            _sending = true;
        }
        if (send)
        {
            SendUnsent();
        }
        return reply.Task;
    }

    /// <summary>Sends the queued requests, and those queued meanwhile, until none is left; the caller holds the sending role.</summary>
    private void SendUnsent()
    {
        while (true)
        {
            int count;
            lock (_gate)
            {
                count = _unsent;
                _unsent = 0;
                if (count == 0)
                {
                    _sending = false;
                    return;
                }
            }
            _socket.Send(_requests.AsSpan(0, count * _requestBytes));
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[SocketEchoServer.ReadBufferBytes];
        var partial = 0;
        Exception? error = null;
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    error = new IOException("The echo server closed the connection.");
                    return;
                }
                partial += read;
                var whole = partial / _replyBytes;
                partial %= _replyBytes;
                if (whole == 0)
                {
                    continue;
                }
                // Take the sending role while completing, so the callers that ask again inline queue
                // their requests and one send carries them all.
                bool send;
                lock (_gate)
                {
                    send = !_sending;
                    _sending = true;
                }
                for (var i = 0; i < whole; i++)
                {
                    SocketEchoReply reply;
                    lock (_gate)
                    {
                        reply = _waiting.Dequeue();
                    }
                    reply.Complete();
                }
                if (send)
                {
                    SendUnsent();
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            error = e;
        }
        finally
        {
            // Fail the waiting callers outside the lock: their continuations may call again, and find the connection closed.
            SocketEchoReply[] waiting;
            lock (_gate)
            {
                _closed = error ?? new IOException("The connection closed.");
                waiting = [.. _waiting];
                _waiting.Clear();
            }
            foreach (var reply in waiting)
            {
                reply.Fail(_closed);
            }
        }
    }

    /// <summary>Closes the socket and waits (bounded) for the receive loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _receiving.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }
}
