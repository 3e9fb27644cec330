using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// A growable, pooled byte buffer that frames are encoded into. Frames are written whole under
/// the owner's lock; the header's length is patched when the frame ends, so a message can be
/// serialized straight into the buffer without knowing its size first.
/// </summary>
internal sealed class OutputBuffer : IBufferWriter<byte>
{
    private const int InitialSize = 16 * 1024;
    private const int RetainLimit = 1024 * 1024;
    private byte[] _buffer;
    private int _written;

    public OutputBuffer() => _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);

    public int Length => _written;

    /// <summary>The size of the array written into, for tests and diagnostics.</summary>
    public int Capacity => _buffer.Length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>
    /// Makes room for <paramref name="count"/> more bytes at once: a message whose size is known is
    /// then written in one pass, without growing (and copying) the buffer step by step.
    /// </summary>
    public void Reserve(int count) => Ensure(count);

    /// <summary>Forgets what was written; gives a grown buffer back so an idle connection stays small.</summary>
    public void Reset()
    {
        _written = 0;
        if (_buffer.Length > RetainLimit)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }
    }

    public void Release()
    {
        _written = 0;
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reserves a header and returns the frame's start offset for <see cref="EndFrame"/>.</summary>
    public int BeginFrame(FrameType type, FrameFlags flags, uint callId)
    {
        var start = _written;
        var span = GetSpan(FrameHeader.Size + 64);
        new FrameHeader(0, type, flags, callId).Write(span);
        _written += FrameHeader.Size;
        return start;
    }

    /// <summary>Patches the length of the frame started at <paramref name="start"/>; returns the payload length.</summary>
    public int EndFrame(int start)
    {
        var length = _written - start - FrameHeader.Size;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(start), (uint)length);
        return length;
    }

    /// <summary>Sets the flags byte of the frame started at <paramref name="start"/>.</summary>
    public void SetFlags(int start, FrameFlags flags) => _buffer[start + 5] = (byte)flags;

    /// <summary>Drops everything written since <paramref name="start"/> (a frame that failed to encode).</summary>
    public void Rollback(int start) => _written = start;

    /// <summary>Writes a frame with no payload.</summary>
    public void WriteEmptyFrame(FrameType type, FrameFlags flags, uint callId) => EndFrame(BeginFrame(type, flags, callId));

    public void WriteByte(byte value)
    {
        GetSpan(1)[0] = value;
        _written++;
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(GetSpan(2), value);
        _written += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(GetSpan(4), value);
        _written += 4;
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(GetSpan(8), value);
        _written += 8;
    }

    public void WriteVarint(ulong value)
    {
        var span = GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        _written += i;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteVarint((ulong)bytes.Length);
        bytes.CopyTo(GetSpan(bytes.Length));
        _written += bytes.Length;
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _written += bytes.Length;
    }

    public void WriteString(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            WriteVarint(0);
            return;
        }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max < 128)
        {
            // Short strings: reserve one length byte, encode, then fill it in.
            var span = GetSpan(max + 1);
            var count = Encoding.UTF8.GetBytes(value, span[1..]);
            span[0] = (byte)count;
            _written += count + 1;
            return;
        }
        var exact = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)exact);
        var written = Encoding.UTF8.GetBytes(value, GetSpan(exact));
        _written += written;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }
        if (_buffer.Length - _written < sizeHint)
        {
            Grow(sizeHint);
        }
    }

    private void Grow(int sizeHint)
    {
        var needed = (long)_written + sizeHint;
        var size = Math.Max(needed, Math.Max(_buffer.Length * 2L, InitialSize));
        if (size > Array.MaxLength)
        {
            size = Math.Max(needed, Array.MaxLength);
        }
        var next = ArrayPool<byte>.Shared.Rent((int)size);
        _buffer.AsSpan(0, _written).CopyTo(next);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        _buffer = next;
    }
}
