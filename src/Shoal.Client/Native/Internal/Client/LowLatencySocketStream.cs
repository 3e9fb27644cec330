using System.Diagnostics;
using System.Net.Sockets;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// The client's socket I/O when it runs a dedicated receive thread (Linux, plaintext). The socket
/// stays in blocking mode (no asynchronous socket call is ever made on it, which would switch it to
/// non-blocking for good): reads poll briefly with non-blocking <c>recv</c>, yielding the core
/// between polls, then block; writes try a non-blocking <c>send</c> and only hand what did not fit
/// to a blocking send on the thread pool, so the receive thread never waits for the peer to read.
/// </summary>
/// <remarks>
/// The asynchronous path (epoll thread, then a thread-pool work item, then the read loop) costs one
/// or two thread wake-ups per response; here the response wakes the thread that processes it, and
/// a caller whose continuation runs on that thread sends its next request from it at once.
/// </remarks>
internal sealed class LowLatencySocketStream(Socket socket, TimeSpan pollTime) : SocketCallStream(socket)
{
    private readonly long _pollTicks = ReceivePoll.TicksOf(pollTime);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => PollThenReceive(buffer);

    /// <summary>Completes synchronously: the caller is the dedicated receive thread (or the handshake, run off the pool's callers).</summary>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(PollThenReceive(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    /// <summary>Polls for data for the options' <see cref="NativeClientOptions.ReceivePollTime"/> (a reply is usually that close), then blocks.</summary>
    private int PollThenReceive(Span<byte> buffer)
    {
        var until = Stopwatch.GetTimestamp() + _pollTicks;
        while (true)
        {
            var n = SocketCalls.ReceiveNow(Socket, buffer);
            if (n >= 0)
            {
                return n;
            }
            if (Stopwatch.GetTimestamp() > until)
            {
                break;
            }
            Thread.Yield();
        }
        return Socket.Receive(buffer, SocketFlags.None);
    }
}
