using System.Buffers;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Transport.Native.Tests.Protocol;

/// <summary>
/// A large frame's bytes written straight into its own memory (<see cref="FrameDecoder.GetAssemblyMemory"/>
/// and <see cref="FrameDecoder.AdvanceAssembly"/>) mixed with bytes decoded from a read buffer, split
/// at the boundaries where an off-by-one would show: the header, the assembler's segment sizes, the end.
/// </summary>
public sealed class FrameAssemblyMemoryTests
{
    private const int KiB = 1024;

    public static TheoryData<int, int, int> Splits()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var length in new[] { (64 * KiB) + 1, 200_000, 1024 * KiB })
        {
            // Bytes of the payload in the first read; bytes left for the last read (with the next frame).
            foreach (var first in new[] { 0, 1, 64 * KiB - 1, 64 * KiB, 64 * KiB + 1, 192 * KiB, 448 * KiB + 3 })
            {
                foreach (var tail in new[] { 0, 1, 16 * KiB - 1 })
                {
                    if (first + tail < length)
                    {
                        data.Add(length, first, tail);
                    }
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void LargeFrame_PartlyDecodedAndPartlyWrittenIntoItsMemory_ArrivesIntact_AndTheSmallFrameAfterItDecodes(int length, int first, int tail)
    {
        var decoder = new FrameDecoder(8 * 1024 * KiB);
        var body = Enumerable.Range(0, length).Select(i => (byte)((i * 7) + (i >> 12))).ToArray();
        byte[] next = [.. Header(FrameType.Message, 3, 5), 1, 2, 3];
        var random = new Random(length ^ first ^ tail);

        var head = new ReadOnlySequence<byte>([.. Header(FrameType.Trailers, length, 3), .. body.AsSpan(0, first)]);
        Assert.Equal(DecodeResult.NeedMore, decoder.TryDecode(ref head, out _, out _));
        Assert.True(head.IsEmpty);
        var offset = first;
        while (decoder.AssemblyRemaining > tail)
        {
            var memory = decoder.GetAssemblyMemory();
            Assert.InRange(memory.Length, 1, decoder.AssemblyRemaining);
            var n = Math.Min(Math.Min(memory.Length, random.Next(1, 70_000)), decoder.AssemblyRemaining - tail);
            body.AsSpan(offset, n).CopyTo(memory.Span);
            decoder.AdvanceAssembly(n);
            offset += n;
        }
        var rest = new ReadOnlySequence<byte>([.. body.AsSpan(offset), .. next]);

        Assert.Equal(DecodeResult.Frame, decoder.TryDecode(ref rest, out var header, out var payload));
        Assert.Equal((FrameType.Trailers, 3u, length), (header.Type, header.CallId, header.Length));
        Assert.True(body.AsSpan().SequenceEqual(payload.ToArray()), "the payload differs from what was sent");
        decoder.FrameDone();
        Assert.Equal(DecodeResult.Frame, decoder.TryDecode(ref rest, out header, out payload));
        Assert.Equal((FrameType.Message, 5u), (header.Type, header.CallId));
        Assert.Equal([1, 2, 3], payload.ToArray());
        Assert.True(rest.IsEmpty);
        Assert.Equal(0, decoder.AssemblyRemaining);
    }

    [Fact]
    public void AdvancingPastTheMemoryHandedOut_Throws()
    {
        var decoder = new FrameDecoder(8 * 1024 * KiB);
        var head = new ReadOnlySequence<byte>(Header(FrameType.Trailers, 100_000, 3));
        Assert.Equal(DecodeResult.NeedMore, decoder.TryDecode(ref head, out _, out _));

        var memory = decoder.GetAssemblyMemory();

        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.AdvanceAssembly(memory.Length + 1));
    }

    [Fact]
    public void NoFrameInAssembly_HasNoMemoryToHandOut()
    {
        var decoder = new FrameDecoder(8 * 1024 * KiB);

        Assert.Throws<InvalidOperationException>(() => decoder.GetAssemblyMemory());
    }

    private static byte[] Header(FrameType type, int length, uint callId)
    {
        var header = new byte[FrameHeader.Size];
        new FrameHeader(length, type, FrameFlags.None, callId).Write(header);
        return header;
    }
}
