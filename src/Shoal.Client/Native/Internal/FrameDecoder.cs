using System.Buffers;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// Cuts whole frames out of a read loop's <see cref="ReadOnlySequence{T}"/>. A frame's declared
/// length is checked against the limit before anything waits for or allocates its payload. Small
/// frames are handed out as slices of the read buffer (no copy); frames above
/// <see cref="AssembleThreshold"/> that have not fully arrived are assembled in pooled segments as
/// bytes arrive (<see cref="FrameAssembler"/>), so the transport's input buffer never has to hold a
/// multi-megabyte frame (Kestrel pauses its socket reads past 1 MiB unconsumed). With a
/// <see cref="NativeFrameBudget"/>, every frame above the threshold is handled only when its declared
/// length fits in the budget; otherwise, as with a frame over the limit, its payload is skipped as it
/// arrives. The reservation lasts until <see cref="FrameDone"/>, unless the caller takes it over
/// (<see cref="TakeReservation"/>) to keep the request a handler holds counted.
/// </summary>
internal sealed class FrameDecoder(int maxPayloadLength, NativeFrameBudget? budget = null)
{
    public const int AssembleThreshold = 64 * 1024;

    private readonly FrameAssembler _assembler = new();
    private long _skip;
    private bool _assembling;
    private int _reserved;
    private FrameHeader _largeHeader;

    /// <summary>The largest payload accepted without the caller's oversize handling.</summary>
    public int MaxPayloadLength { get; } = maxPayloadLength;

    /// <summary>Whether a frame is partly received (for a truncation check at end of input).</summary>
    public bool HasPartialFrame => _assembling || _skip > 0;

    /// <summary>Bytes the frame being assembled still needs; 0 when none is.</summary>
    public int AssemblyRemaining => _assembling ? _assembler.Remaining : 0;

    /// <summary>
    /// Memory inside the frame being assembled for its next bytes (at most <see cref="AssemblyRemaining"/>),
    /// so a reader can receive them in place instead of through its read buffer; <see cref="AdvanceAssembly"/>
    /// counts what it wrote. Once every byte is in, the next <see cref="TryDecode"/> returns the frame.
    /// </summary>
    public Memory<byte> GetAssemblyMemory() => _assembling
        ? _assembler.GetMemory()
        : throw new InvalidOperationException("No frame is being assembled.");

    /// <summary>Counts <paramref name="count"/> bytes written into the memory <see cref="GetAssemblyMemory"/> returned.</summary>
    public void AdvanceAssembly(int count) => _assembler.Advance(count);

    /// <summary>Bytes held for the frame being assembled (pool segments), for tests and diagnostics.</summary>
    public int AssemblingBytes => _assembler.Allocated;

    /// <summary>
    /// Decodes the next frame from <paramref name="buffer"/> and slices off what was consumed.
    /// Returns <see cref="DecodeResult.NeedMore"/> when no whole frame is there yet.
    /// </summary>
    public DecodeResult TryDecode(ref ReadOnlySequence<byte> buffer, out FrameHeader header, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        header = default;
        if (_skip > 0)
        {
            var n = Math.Min(_skip, buffer.Length);
            buffer = buffer.Slice(n);
            _skip -= n;
            if (_skip > 0)
            {
                return DecodeResult.NeedMore;
            }
        }
        if (_assembling)
        {
            buffer = buffer.Slice(_assembler.Append(buffer));
            if (!_assembler.IsComplete)
            {
                return DecodeResult.NeedMore;
            }
            header = _largeHeader;
            payload = _assembler.Payload();
            return DecodeResult.Frame;
        }
        if (!FrameHeader.TryRead(buffer, out header, out var rawLength, out var reserved))
        {
            return DecodeResult.NeedMore;
        }
        if (!IsWellFormed(header, reserved))
        {
            throw reserved != 0
                ? ProtocolException.Malformed("reserved header bits are set")
                : new ProtocolException(GoAwayCode.ProtocolError, $"Unknown frame type 0x{(byte)header.Type:x2}.");
        }
        if (rawLength > (uint)MaxPayloadLength)
        {
            if (rawLength > ProtocolConstants.AbsoluteMaxFrameLength)
            {
                throw new ProtocolException(GoAwayCode.FrameTooLarge, $"Frame length {rawLength} is over the limit of {MaxPayloadLength}.");
            }
            Skip(ref buffer, rawLength);
            return DecodeResult.Oversized;
        }
        var total = FrameHeader.Size + header.Length;
        if (header.Length > AssembleThreshold && budget is not null)
        {
            if (!budget.TryReserve(header.Length))
            {
                Skip(ref buffer, rawLength);
                return DecodeResult.OverBudget;
            }
            _reserved = header.Length;
        }
        if (buffer.Length >= total)
        {
            payload = buffer.Slice(FrameHeader.Size, header.Length);
            buffer = buffer.Slice(total);
            return DecodeResult.Frame;
        }
        if (header.Length > AssembleThreshold)
        {
            _assembling = true;
            _largeHeader = header;
            _assembler.Begin(header.Length);
            buffer = buffer.Slice(FrameHeader.Size);
            buffer = buffer.Slice(_assembler.Append(buffer));
        }
        return DecodeResult.NeedMore;
    }

    private static bool IsWellFormed(in FrameHeader header, ushort reserved)
        => reserved == 0 && header.Type is >= FrameType.Preface and <= FrameType.GoAway;

    /// <summary>
    /// Hands <paramref name="sink"/> the frames that lie whole in the first segment of
    /// <paramref name="buffer"/>, cut by their offsets in its span: a header read from the span and one
    /// slice of the sequence (the payload) per frame, where <see cref="TryDecode"/> reads the header
    /// through the sequence and slices it twice. Stops at the first frame that is not small
    /// (at most <see cref="AssembleThreshold"/> and <see cref="MaxPayloadLength"/>), whole in the segment
    /// and well-formed; <see cref="TryDecode"/> takes that one, with its checks and errors. Leaves
    /// <paramref name="buffer"/> past the frames handed out, also when the sink throws.
    /// </summary>
    private void DecodeInFirstSegment<TSink>(ref ReadOnlySequence<byte> buffer, TSink sink)
        where TSink : IFrameSink
    {
        var span = buffer.FirstSpan;
        var offset = 0;
        try
        {
            while (span.Length - offset >= FrameHeader.Size)
            {
                FrameHeader.TryRead(span[offset..], out var header, out var length, out var reserved);
                if (length > AssembleThreshold || length > (uint)MaxPayloadLength
                    || (uint)(span.Length - offset) < FrameHeader.Size + length || !IsWellFormed(header, reserved))
                {
                    break;
                }
                offset += FrameHeader.Size + header.Length;
                sink.OnFrame(header, buffer.Slice(offset - header.Length, header.Length));
            }
        }
        finally
        {
            if (offset > 0)
            {
                buffer = buffer.Slice(offset);
            }
        }
    }

    private void Skip(ref ReadOnlySequence<byte> buffer, uint length)
    {
        buffer = buffer.Slice(FrameHeader.Size);
        _skip = length;
        var n = Math.Min(_skip, buffer.Length);
        buffer = buffer.Slice(n);
        _skip -= n;
    }

    /// <summary>
    /// Hands every whole frame in <paramref name="buffer"/> to <paramref name="sink"/> as one batch of
    /// <paramref name="writer"/>: what the frames make the connection write is flushed once, at the
    /// end. Leaves <paramref name="buffer"/> at the first byte not consumed.
    /// </summary>
    public void DecodeBatch<TSink>(ref ReadOnlySequence<byte> buffer, FrameWriter writer, TSink sink)
        where TSink : IFrameSink
    {
        writer.BeginBatch();
        try
        {
            while (true)
            {
                if (_skip == 0 && !_assembling)
                {
                    DecodeInFirstSegment(ref buffer, sink);
                }
                var decoded = TryDecode(ref buffer, out var header, out var payload);
                if (decoded == DecodeResult.NeedMore)
                {
                    break;
                }
                if (decoded == DecodeResult.Oversized)
                {
                    sink.OnOversized(header);
                    continue;
                }
                if (decoded == DecodeResult.OverBudget)
                {
                    sink.OnOverBudget(header);
                    continue;
                }
                try
                {
                    sink.OnFrame(header, payload);
                }
                finally
                {
                    FrameDone();
                }
            }
        }
        finally
        {
            writer.EndBatch();
        }
    }

    /// <summary>Called after a frame was handled: gives an assembled frame's segments and its reservation back.</summary>
    public void FrameDone()
    {
        if (_assembling)
        {
            _assembling = false;
            _assembler.Release();
        }
        if (_reserved > 0)
        {
            budget!.Release(_reserved);
            _reserved = 0;
        }
    }

    /// <summary>
    /// Hands the current frame's budget reservation to the caller, who gives it back to
    /// <paramref name="owner"/> later; 0 when the frame reserved nothing.
    /// </summary>
    public int TakeReservation(out NativeFrameBudget? owner)
    {
        owner = budget;
        var reserved = _reserved;
        _reserved = 0;
        return reserved;
    }

    /// <summary>The connection ended: whatever a partial frame holds goes back at once.</summary>
    public void Release()
    {
        FrameDone();
        _skip = 0;
    }
}
