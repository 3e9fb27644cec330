namespace Shoal.Fuzzing.Infrastructure;

/// <summary>
/// A client connection's socket, played from memory: reads return the server's bytes one chunk at
/// a time; once the first act (the handshake) is read, further reads wait until
/// <see cref="ReleaseSecondAct"/> (so the harness can start calls at a known point); after the
/// second act, reads return 0 (the server closed). What the client writes is discarded.
/// </summary>
internal sealed class ScriptedStream(byte[] firstAct, byte[] secondAct, int chunkSize) : Stream
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;
    private volatile bool _disposed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Lets the client read the second act.</summary>
    public void ReleaseSecondAct() => _release.TrySetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position == firstAct.Length && secondAct.Length > 0)
        {
            await _release.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        return Read(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_disposed)
        {
            return 0;
        }
        var total = firstAct.Length + secondAct.Length;
        var n = Math.Min(Math.Min(chunkSize, buffer.Length), total - _position);
        if (_position < firstAct.Length)
        {
            // A read never crosses from the first act into the second.
            n = Math.Min(n, firstAct.Length - _position);
            firstAct.AsSpan(_position, n).CopyTo(buffer);
        }
        else
        {
            secondAct.AsSpan(_position - firstAct.Length, n).CopyTo(buffer);
        }
        _position += n;
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // A disposed socket ends a pending read.
        _disposed = true;
        _release.TrySetResult();
        base.Dispose(disposing);
    }
}
