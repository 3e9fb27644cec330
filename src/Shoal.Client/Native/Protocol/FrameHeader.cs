using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Shoal.Client.Native.Protocol;

/// <summary>
/// The fixed 12-byte header in front of every frame: payload length (u32 little-endian), type (u8),
/// flags (u8), reserved (u16, zero) and call id (u32 little-endian).
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly struct FrameHeader
{
    /// <summary>The size of the header in bytes.</summary>
    public const int Size = 12;

    /// <summary>Creates a header.</summary>
    public FrameHeader(int length, FrameType type, FrameFlags flags, uint callId)
    {
        Length = length;
        Type = type;
        Flags = flags;
        CallId = callId;
    }

    /// <summary>The payload length in bytes, header excluded.</summary>
    public int Length { get; }

    /// <summary>The frame type.</summary>
    public FrameType Type { get; }

    /// <summary>The flag bits.</summary>
    public FrameFlags Flags { get; }

    /// <summary>The call the frame belongs to; zero for connection frames.</summary>
    public uint CallId { get; }

    /// <summary>Whether <paramref name="flag"/> is set.</summary>
    public bool Has(FrameFlags flag) => (Flags & flag) == flag;

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)Length);
        destination[4] = (byte)Type;
        destination[5] = (byte)Flags;
        destination[6] = 0;
        destination[7] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], CallId);
    }

    /// <summary>
    /// Reads a header from the start of <paramref name="buffer"/>. Returns false when fewer than
    /// <see cref="Size"/> bytes are there. The length is returned as read: the caller checks it
    /// against its limit before it waits for or allocates the payload.
    /// </summary>
    public static bool TryRead(in ReadOnlySequence<byte> buffer, out FrameHeader header, out uint rawLength, out ushort reserved)
    {
        ReadOnlySpan<byte> span = buffer.FirstSpan;
        if (span.Length < Size)
        {
            if (buffer.Length < Size)
            {
                header = default;
                rawLength = 0;
                reserved = 0;
                return false;
            }
            Span<byte> copy = stackalloc byte[Size];
            buffer.Slice(0, Size).CopyTo(copy);
            return TryRead(copy, out header, out rawLength, out reserved);
        }
        return TryRead(span, out header, out rawLength, out reserved);
    }

    /// <summary>Reads a header from the first <see cref="Size"/> bytes of <paramref name="span"/>, which must hold them; the length as for the sequence overload.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> span, out FrameHeader header, out uint rawLength, out ushort reserved)
    {
        rawLength = BinaryPrimitives.ReadUInt32LittleEndian(span);
        reserved = BinaryPrimitives.ReadUInt16LittleEndian(span[6..]);
        var length = rawLength > int.MaxValue ? int.MaxValue : (int)rawLength;
        header = new FrameHeader(length, (FrameType)span[4], (FrameFlags)span[5], BinaryPrimitives.ReadUInt32LittleEndian(span[8..]));
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Type} flags={Flags} call={CallId} length={Length}";
}
