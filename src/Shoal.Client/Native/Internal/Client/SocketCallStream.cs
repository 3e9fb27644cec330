using System.Net.Sockets;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// What the client's own socket streams share, whatever way they wait for bytes
/// (<see cref="LowLatencySocketStream"/>, <see cref="EngineSocketStream"/>): a stream that cannot seek,
/// over a socket used only through <see cref="SocketCalls"/> and blocking calls. A write sends what
/// fits in the socket's buffer at once, without blocking, and hands only the rest to a blocking send
/// on the thread pool, so the thread that writes (often the one that receives) never waits for the
/// peer to read.
/// </summary>
internal abstract class SocketCallStream(Socket socket) : Stream
{
    /// <summary>The connected socket, in blocking mode.</summary>
    protected Socket Socket => socket;

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

    public override void Write(byte[] buffer, int offset, int count) => SocketCalls.SendBlocking(socket, buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var sent = SocketCalls.SendNow(socket, buffer.Span);
        if (sent == buffer.Length)
        {
            return default;
        }
        var rest = buffer[sent..];
        return new ValueTask(Task.Run(() => SocketCalls.SendBlocking(socket, rest.Span), CancellationToken.None));
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
