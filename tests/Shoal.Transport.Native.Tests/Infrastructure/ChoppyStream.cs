namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>
/// A stream over another whose reads return a random number of bytes (1 to <c>maxChunk</c>, from a
/// seeded random source, so a failure replays), whatever the caller asked for: frames arrive split
/// at arbitrary boundaries. Records the largest buffer a read asked to fill.
/// </summary>
public sealed class ChoppyStream(Stream inner, int seed, int maxChunk) : Stream
{
    private readonly Random _random = new(seed);
    private int _largestRead;

    /// <summary>The length of the largest buffer passed to a read.</summary>
    public int LargestRead => Volatile.Read(ref _largestRead);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length > _largestRead)
        {
            Volatile.Write(ref _largestRead, buffer.Length);
        }
        return buffer.IsEmpty ? inner.ReadAsync(buffer, cancellationToken) : inner.ReadAsync(buffer[..Math.Min(buffer.Length, _random.Next(1, maxChunk + 1))], cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
