using System.Buffers;
using Shoal.Transport.Native.Protocol;

namespace Shoal.Transport.Native.Internal;

/// <summary>
/// Cuts whole frames out of a read loop's <see cref="ReadOnlySequence{T}"/>. A frame's declared
/// length is checked against the limit before anything waits for or allocates its payload. Small
/// frames are handed out as slices of the read buffer (no copy); frames above
/// <see cref="AssembleThreshold"/> are assembled into one pooled array as bytes arrive, so the
/// transport's input buffer never has to hold a multi-megabyte frame (Kestrel pauses its socket
/// reads past 1 MiB unconsumed). Oversized frames can be skipped without being buffered.
/// </summary>
internal sealed class FrameDecoder(int maxPayloadLength)
{
    public const int AssembleThreshold = 64 * 1024;

    private long _skip;
    private byte[]? _large;
    private int _largeFilled;
    private FrameHeader _largeHeader;

    /// <summary>The largest payload accepted without the caller's oversize handling.</summary>
    public int MaxPayloadLength { get; } = maxPayloadLength;

    /// <summary>Whether a frame is partly received (for a truncation check at end of input).</summary>
    public bool HasPartialFrame => _large is not null || _skip > 0;

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
        if (_large is not null)
        {
            var n = (int)Math.Min(_largeHeader.Length - _largeFilled, buffer.Length);
            buffer.Slice(0, n).CopyTo(_large.AsSpan(_largeFilled));
            buffer = buffer.Slice(n);
            _largeFilled += n;
            if (_largeFilled < _largeHeader.Length)
            {
                return DecodeResult.NeedMore;
            }
            header = _largeHeader;
            payload = new ReadOnlySequence<byte>(_large, 0, _largeHeader.Length);
            return DecodeResult.Frame;
        }
        if (!FrameHeader.TryRead(buffer, out header, out var rawLength, out var reserved))
        {
            return DecodeResult.NeedMore;
        }
        if (reserved != 0)
        {
            throw ProtocolException.Malformed("reserved header bits are set");
        }
        if (header.Type is < FrameType.Preface or > FrameType.GoAway)
        {
            throw new ProtocolException(GoAwayCode.ProtocolError, $"Unknown frame type 0x{(byte)header.Type:x2}.");
        }
        if (rawLength > (uint)MaxPayloadLength)
        {
            if (rawLength > ProtocolConstants.AbsoluteMaxFrameLength)
            {
                throw new ProtocolException(GoAwayCode.FrameTooLarge, $"Frame length {rawLength} is over the limit of {MaxPayloadLength}.");
            }
            buffer = buffer.Slice(FrameHeader.Size);
            _skip = rawLength;
            var n = Math.Min(_skip, buffer.Length);
            buffer = buffer.Slice(n);
            _skip -= n;
            return DecodeResult.Oversized;
        }
        var total = FrameHeader.Size + header.Length;
        if (buffer.Length >= total)
        {
            payload = buffer.Slice(FrameHeader.Size, header.Length);
            buffer = buffer.Slice(total);
            return DecodeResult.Frame;
        }
        if (header.Length > AssembleThreshold)
        {
            _large = ArrayPool<byte>.Shared.Rent(header.Length);
            _largeHeader = header;
            var available = buffer.Slice(FrameHeader.Size);
            available.CopyTo(_large);
            _largeFilled = (int)available.Length;
            buffer = buffer.Slice(buffer.End);
        }
        return DecodeResult.NeedMore;
    }

    /// <summary>Called after a frame was handled: gives an assembled frame's array back.</summary>
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

    public void FrameDone()
    {
        if (_large is { } large)
        {
            _large = null;
            _largeFilled = 0;
            ArrayPool<byte>.Shared.Return(large);
        }
    }
}
