using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Shoal.Client.Native.Protocol;

namespace Shoal.Fuzzing.Seeds;

/// <summary>
/// Writes native-protocol fields and frames for seeds, from docs/protocol.md and the public
/// <see cref="FrameHeader"/>, independently of the transport's own encoder.
/// </summary>
internal sealed class Wire
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public Wire Byte(byte value)
    {
        _buffer.Write([value]);
        return this;
    }

    public Wire U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public Wire U32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public Wire U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public Wire Varint(ulong value)
    {
        while (value >= 0x80)
        {
            Byte((byte)(value | 0x80));
            value >>= 7;
        }
        return Byte((byte)value);
    }

    /// <summary>A varint length, then the bytes.</summary>
    public Wire Bytes(ReadOnlySpan<byte> value) => Varint((ulong)value.Length).Raw(value);

    /// <summary>A varint length, then the UTF-8 bytes.</summary>
    public Wire String(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public Wire Raw(ReadOnlySpan<byte> value)
    {
        _buffer.Write(value);
        return this;
    }

    public Wire Setting(SettingId id, uint value) => U16((ushort)id).U32(value);

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>A whole frame: the 12-byte header, then <paramref name="payload"/>.</summary>
    public static byte[] Frame(FrameType type, FrameFlags flags, uint callId, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[FrameHeader.Size + payload.Length];
        new FrameHeader(payload.Length, type, flags, callId).Write(frame);
        payload.CopyTo(frame.AsSpan(FrameHeader.Size));
        return frame;
    }

    /// <summary>The concatenation of <paramref name="parts"/>.</summary>
    public static byte[] Join(params byte[][] parts) => [.. parts.SelectMany(part => part)];
}
