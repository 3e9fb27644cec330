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
internal sealed partial class LowLatencySocketStream(Socket socket, TimeSpan pollTime) : Stream
{
    private const int MsgDontWait = 0x40;
    private const int MsgNoSignal = 0x4000;
    private const int ErrorAgain = 11;
    private const int ErrorInterrupted = 4;
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

    private void SendBlocking(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[socket.Send(data, SocketFlags.None)..];
        }
    }

    /// <summary>Sends what fits in the socket's buffer without blocking; returns the bytes sent.</summary>
    private unsafe int SendNow(ReadOnlySpan<byte> data)
    {
        var handle = socket.SafeHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var total = 0;
            fixed (byte* start = data)
            {
                while (total < data.Length)
                {
                    var n = SystemSend(handle.DangerousGetHandle(), start + total, data.Length - total, MsgDontWait | MsgNoSignal);
                    if (n >= 0)
                    {
                        total += (int)n;
                        continue;
                    }
                    var error = Marshal.GetLastPInvokeError();
                    if (error == ErrorInterrupted)
                    {
                        continue;
                    }
                    if (error == ErrorAgain)
                    {
                        return total;
                    }
                    throw new IOException($"Sending on the socket failed (errno {error}).");
                }
            }
            return total;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Polls for data for the options' <see cref="NativeClientOptions.ReceivePollTime"/> (a reply is usually that close), then blocks.</summary>
    private unsafe int PollThenReceive(Span<byte> buffer)
    {
        var handle = socket.SafeHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var until = Stopwatch.GetTimestamp() + _pollTicks;
            fixed (byte* start = buffer)
            {
                while (true)
                {
                    var n = SystemReceive(handle.DangerousGetHandle(), start, buffer.Length, MsgDontWait);
                    if (n >= 0)
                    {
                        return (int)n;
                    }
                    var error = Marshal.GetLastPInvokeError();
                    if (error != ErrorAgain && error != ErrorInterrupted)
                    {
                        throw new IOException($"Receiving on the socket failed (errno {error}).");
                    }
                    if (Stopwatch.GetTimestamp() > until)
                    {
                        break;
                    }
                    Thread.Yield();
                }
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
        return socket.Receive(buffer, SocketFlags.None);
    }

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static unsafe partial nint SystemSend(nint socket, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static unsafe partial nint SystemReceive(nint socket, byte* buffer, nint length, int flags);
}
