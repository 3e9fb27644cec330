using System.Buffers;
using System.Text;

namespace Shoal.Client.Native.Internal;

/// <summary>Reads the fields of one frame payload; every read checks bounds and throws <see cref="ProtocolException"/>.</summary>
internal ref struct PayloadReader
{
    private SequenceReader<byte> _reader;

    public PayloadReader(in ReadOnlySequence<byte> payload) => _reader = new SequenceReader<byte>(payload);

    public readonly long Remaining => _reader.Remaining;

    public readonly ReadOnlySequence<byte> Rest => _reader.UnreadSequence;

    public byte ReadByte() => _reader.TryRead(out var value) ? value : throw ProtocolException.Malformed("payload ends early");

    public ushort ReadUInt16() => _reader.TryReadLittleEndian(out short value) ? (ushort)value : throw ProtocolException.Malformed("payload ends early");

    public uint ReadUInt32() => _reader.TryReadLittleEndian(out int value) ? (uint)value : throw ProtocolException.Malformed("payload ends early");

    public ulong ReadUInt64() => _reader.TryReadLittleEndian(out long value) ? (ulong)value : throw ProtocolException.Malformed("payload ends early");

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }
        throw ProtocolException.Malformed("varint too long");
    }

    /// <summary>Reads a varint length no larger than <paramref name="max"/> and no larger than what is left.</summary>
    public int ReadLength(int max)
    {
        var length = ReadVarint();
        if (length > (ulong)max || (long)length > _reader.Remaining)
        {
            throw ProtocolException.Malformed($"length {length} exceeds the limit or the payload");
        }
        return (int)length;
    }

    /// <summary>Reads length-prefixed bytes; returns them as a span when contiguous, copying into <paramref name="scratch"/> otherwise.</summary>
    public ReadOnlySpan<byte> ReadBytes(int max, Span<byte> scratch)
    {
        var length = ReadLength(max);
        var unread = _reader.UnreadSpan;
        if (unread.Length >= length)
        {
            _reader.Advance(length);
            return unread[..length];
        }
        var target = scratch.Length >= length ? scratch[..length] : new byte[length];
        _reader.TryCopyTo(target);
        _reader.Advance(length);
        return target;
    }

    public byte[] ReadByteArray(int max)
    {
        var length = ReadLength(max);
        var bytes = length == 0 ? [] : new byte[length];
        _reader.TryCopyTo(bytes);
        _reader.Advance(length);
        return bytes;
    }

    public string ReadString(int max)
    {
        var length = ReadLength(max);
        if (length == 0)
        {
            return string.Empty;
        }
        var unread = _reader.UnreadSpan;
        string value;
        try
        {
            if (unread.Length >= length)
            {
                value = StrictUtf8.GetString(unread[..length]);
            }
            else
            {
                var bytes = new byte[length];
                _reader.TryCopyTo(bytes);
                value = StrictUtf8.GetString(bytes);
            }
        }
        catch (DecoderFallbackException)
        {
            throw ProtocolException.Malformed("invalid UTF-8");
        }
        _reader.Advance(length);
        return value;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
}
