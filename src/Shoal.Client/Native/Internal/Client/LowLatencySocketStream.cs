using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

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
internal sealed class LowLatencySocketStream(Socket socket, TimeSpan pollTime) : Stream
{
    private readonly long _pollTicks = ReceivePoll.TicksOf(pollTime);

    /// <summary>Whether this platform can use the stream (the flags and errno values above are Linux's on x64 and Arm64).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => PollThenReceive(buffer);

    /// <summary>Completes synchronously: the caller is the dedicated receive thread (or the handshake, run off the pool's callers).</summary>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(PollThenReceive(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override void Write(byte[] buffer, int offset, int count) => SendBlocking(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var sent = SendNow(buffer.Span);
        if (sent == buffer.Length)
        {
            return default;
        }
        var rest = buffer[sent..];
        return new ValueTask(Task.Run(() => SendBlocking(rest.Span), CancellationToken.None));
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void SendBlocking(ReadOnlySpan<byte> data) => SocketCalls.SendBlocking(socket, data);

    private int SendNow(ReadOnlySpan<byte> data) => SocketCalls.SendNow(socket, data);

    /// <summary>Polls for data for the options' <see cref="NativeClientOptions.ReceivePollTime"/> (a reply is usually that close), then blocks.</summary>
    private int PollThenReceive(Span<byte> buffer)
    {
        var until = Stopwatch.GetTimestamp() + _pollTicks;
        while (true)
        {
            var n = SocketCalls.ReceiveNow(socket, buffer);
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
        return socket.Receive(buffer, SocketFlags.None);
    }
}
