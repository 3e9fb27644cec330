using System.Buffers;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// Collects the payload of one large frame as its bytes arrive, in pooled segments that grow from
/// 64 KiB to 1 MiB: memory follows the bytes received, not the length the header declared, and a
/// peer that stops half way holds at most about twice what it sent. The finished payload is a
/// <see cref="ReadOnlySequence{T}"/> over the segments (protobuf parses it without a copy).
/// </summary>
internal sealed class FrameAssembler
{
    private const int FirstSegmentSize = 64 * 1024;
    private const int MaxSegmentSize = 1024 * 1024;

    private Segment? _first;
    private Segment? _last;
    private int _length;
    private int _filled;
    private int _allocated;
    private int _nextSize;

    /// <summary>Bytes received so far.</summary>
    public int Filled => _filled;

    /// <summary>Bytes rented from the pool so far.</summary>
    public int Allocated => _allocated;

    /// <summary>Bytes still to come.</summary>
    public int Remaining => _length - _filled;

    /// <summary>Whether every declared byte arrived.</summary>
    public bool IsComplete => _filled == _length;

    /// <summary>Starts a frame of <paramref name="length"/> payload bytes.</summary>
    public void Begin(int length)
    {
        _length = length;
        _filled = 0;
        _allocated = 0;
        _nextSize = FirstSegmentSize;
    }

    /// <summary>Copies as much of <paramref name="source"/> as the frame still needs; returns how much.</summary>
    public int Append(in ReadOnlySequence<byte> source)
    {
        var take = (int)Math.Min(Remaining, source.Length);
        var rest = source.Slice(0, take);
        while (!rest.IsEmpty)
        {
            var target = GetMemory().Span;
            var n = (int)Math.Min(target.Length, rest.Length);
            rest.Slice(0, n).CopyTo(target);
            Advance(n);
            rest = rest.Slice(n);
        }
        return take;
    }

    /// <summary>
    /// Where the frame's next bytes go, for a reader that fills it in place: the free part of the last
    /// segment (a new segment when that one is full), never more than <see cref="Remaining"/> bytes.
    /// <see cref="Advance"/> says how much of it was filled.
    /// </summary>
    public Memory<byte> GetMemory()
    {
        if (Remaining == 0)
        {
            throw new InvalidOperationException("The frame has all its bytes.");
        }
        if (_last is null || _last.Filled == _last.Array.Length)
        {
            AddSegment();
        }
        return _last!.Array.AsMemory(_last.Filled, Math.Min(_last.Array.Length - _last.Filled, Remaining));
    }

    /// <summary>Counts <paramref name="count"/> bytes written at the start of the last <see cref="GetMemory"/>.</summary>
    public void Advance(int count)
    {
        var free = _last is null ? 0 : Math.Min(_last.Array.Length - _last.Filled, Remaining);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, free);
        if (count > 0)
        {
            _last!.Filled += count;
            _filled += count;
        }
    }

    /// <summary>The whole payload; valid until <see cref="Release"/>.</summary>
    public ReadOnlySequence<byte> Payload()
    {
        long index = 0;
        for (var segment = _first; segment is not null; segment = segment.NextSegment)
        {
            segment.Publish(index);
            index += segment.Filled;
        }
        return _first is null ? default : new ReadOnlySequence<byte>(_first, 0, _last!, _last!.Filled);
    }

    /// <summary>Gives every segment back to the pool.</summary>
    public void Release()
    {
        for (var segment = _first; segment is not null; segment = segment.NextSegment)
        {
            ArrayPool<byte>.Shared.Return(segment.Array);
        }
        _first = null;
        _last = null;
        _filled = 0;
        _allocated = 0;
        _length = 0;
    }

    private void AddSegment()
    {
        var size = Math.Min(_nextSize, _length - _allocated);
        _nextSize = Math.Min(_nextSize * 2, MaxSegmentSize);
        var segment = new Segment(ArrayPool<byte>.Shared.Rent(size));
        _allocated += segment.Array.Length;
        if (_last is null)
        {
            _first = segment;
        }
        else
        {
            _last.NextSegment = segment;
        }
        _last = segment;
    }

    private sealed class Segment(byte[] array) : ReadOnlySequenceSegment<byte>
    {
        public byte[] Array { get; } = array;

        public int Filled { get; set; }

        public Segment? NextSegment { get; set; }

        public void Publish(long runningIndex)
        {
            Memory = Array.AsMemory(0, Filled);
            RunningIndex = runningIndex;
            Next = NextSegment;
        }
    }
}
