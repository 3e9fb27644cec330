using System.Buffers;
using System.IO.Pipelines;

namespace Shoal.Fuzzing.Infrastructure;

/// <summary>
/// A connection's input as Kestrel would hand it to a <c>ConnectionHandler</c>, played from memory:
/// each read makes one more chunk visible (so a run is the same every time), unconsumed bytes stay
/// in the buffer, and the last chunk comes with <see cref="ReadResult.IsCompleted"/> (the peer closed).
/// </summary>
internal sealed class ScriptedPipeReader(byte[] data, int chunkSize) : PipeReader
{
    private readonly ReadOnlySequence<byte> _all = Chunks.AsSegments(data, chunkSize);
    private long _consumed;
    private long _visible;
    private int _cancelPending;
    private bool _completed;

    /// <summary>Whether the connection read everything it was sent.</summary>
    public bool ReadToEnd => _consumed == _all.Length;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_completed, this);
        if (Interlocked.Exchange(ref _cancelPending, 0) != 0)
        {
            return new ValueTask<ReadResult>(new ReadResult(Visible(), isCanceled: true, isCompleted: false));
        }
        _visible = Math.Min(_visible + chunkSize, _all.Length);
        return new ValueTask<ReadResult>(new ReadResult(Visible(), isCanceled: false, isCompleted: _visible == _all.Length));
    }

    public override bool TryRead(out ReadResult result)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        result = new ReadResult(Visible(), isCanceled: Interlocked.Exchange(ref _cancelPending, 0) != 0, isCompleted: _visible == _all.Length);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var offset = _all.GetOffset(consumed);
        if (offset < _consumed || offset > _visible)
        {
            throw new InvalidOperationException($"AdvanceTo({offset}) outside the buffer [{_consumed}, {_visible}].");
        }
        _consumed = offset;
    }

    public override void CancelPendingRead() => Interlocked.Exchange(ref _cancelPending, 1);

    public override void Complete(Exception? exception = null) => _completed = true;

    private ReadOnlySequence<byte> Visible() => _all.Slice(_consumed, _visible - _consumed);
}
