using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// Non-blocking <c>recv</c> and <c>send</c> on a socket's handle (Linux): they work whatever the
/// socket's blocking mode, and, unlike the runtime's asynchronous socket calls, never register the
/// socket with the runtime's socket engine. Used by the client streams that do their own waiting
/// (<see cref="LowLatencySocketStream"/>, <see cref="EngineSocketStream"/>).
/// </summary>
internal static partial class SocketCalls
{
    private const int MsgPeek = 0x2;
    private const int MsgDontWait = 0x40;
    private const int MsgNoSignal = 0x4000;
    private const int ErrorAgain = 11;
    private const int ErrorInterrupted = 4;

    /// <summary>Whether this platform has these calls as written (Linux on x64 and Arm64: the flags and errno values above are theirs).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>Reads what is there into <paramref name="buffer"/>: the bytes read (0 at the end of the stream), or -1 when nothing is there yet.</summary>
    /// <exception cref="IOException">The socket failed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    public static unsafe int ReceiveNow(Socket socket, Span<byte> buffer)
    {
        var handle = socket.SafeHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            byte peek;
            // A zero-byte read asks whether bytes (or the end) are there: peek at one without taking it.
            var flags = buffer.IsEmpty ? MsgDontWait | MsgPeek : MsgDontWait;
            fixed (byte* start = buffer)
            {
                var target = buffer.IsEmpty ? &peek : start;
                var length = buffer.IsEmpty ? 1 : buffer.Length;
                while (true)
                {
                    var n = SystemReceive(handle.DangerousGetHandle(), target, length, flags);
                    if (n >= 0)
                    {
                        return buffer.IsEmpty ? 0 : (int)n;
                    }
                    var error = Marshal.GetLastPInvokeError();
                    if (error == ErrorInterrupted)
                    {
                        continue;
                    }
                    if (error == ErrorAgain)
                    {
                        return -1;
                    }
                    throw new IOException($"Receiving on the socket failed (errno {error}).", new SocketException(error));
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
    }

    /// <summary>Sends what fits in the socket's buffer without blocking; returns the bytes sent.</summary>
    /// <exception cref="IOException">The socket failed.</exception>
    public static unsafe int SendNow(Socket socket, ReadOnlySpan<byte> data)
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
                    throw new IOException($"Sending on the socket failed (errno {error}).", new SocketException(error));
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

    /// <summary>Sends all of <paramref name="data"/>, blocking while the socket's buffer is full (a socket in blocking mode).</summary>
    public static void SendBlocking(Socket socket, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[socket.Send(data, SocketFlags.None)..];
        }
    }

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static unsafe partial nint SystemSend(nint socket, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static unsafe partial nint SystemReceive(nint socket, byte* buffer, nint length, int flags);
}
