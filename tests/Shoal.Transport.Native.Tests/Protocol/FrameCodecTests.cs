using System.Buffers;
using Grpc.Core;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Transport.Native.Tests.Protocol;

public sealed class FrameCodecTests
{
    [Fact]
    public void FrameHeader_WrittenThenRead_RoundTrips()
    {
        var bytes = new byte[FrameHeader.Size];
        new FrameHeader(123456, FrameType.Trailers, FrameFlags.HasHeaders | FrameFlags.HasMessage, 0xDEADBEEF).Write(bytes);

        Assert.True(FrameHeader.TryRead(new ReadOnlySequence<byte>(bytes), out var header, out var raw, out var reserved));

        Assert.Equal(123456, header.Length);
        Assert.Equal(123456u, raw);
        Assert.Equal((ushort)0, reserved);
        Assert.Equal(FrameType.Trailers, header.Type);
        Assert.True(header.Has(FrameFlags.HasMessage));
        Assert.Equal(0xDEADBEEF, header.CallId);
    }

    [Fact]
    public void FieldsAndMetadata_EncodedThenDecoded_RoundTrip()
    {
        var output = new OutputBuffer();
        var metadata = new Metadata { { "x-text", "héllo" }, { "x-data-bin", new byte[] { 0, 255, 7 } } };
        output.WriteVarint(300);
        output.WriteString("/hello.Greeter/SayHello");
        output.WriteString(new string('z', 200));
        MetadataCodec.Write(output, metadata);
        MetadataCodec.Write(output, null);
        output.WriteUInt32(42);

        var reader = new PayloadReader(new ReadOnlySequence<byte>(output.WrittenMemory));

        Assert.Equal(300UL, reader.ReadVarint());
        Assert.Equal("/hello.Greeter/SayHello", reader.ReadString(1024));
        Assert.Equal(new string('z', 200), reader.ReadString(1024));
        var decoded = MetadataCodec.Read(ref reader)!;
        Assert.Equal("héllo", decoded.GetValue("x-text"));
        Assert.Equal(new byte[] { 0, 255, 7 }, decoded.GetValueBytes("x-data-bin"));
        Assert.Null(MetadataCodec.Read(ref reader));
        Assert.Equal(42u, reader.ReadUInt32());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void PayloadReader_LengthPastTheEnd_IsAProtocolError()
    {
        var output = new OutputBuffer();
        output.WriteVarint(50);
        output.WriteByte(1);

        var error = Assert.Throws<ProtocolException>(() =>
        {
            var reader = new PayloadReader(new ReadOnlySequence<byte>(output.WrittenMemory));
            reader.ReadString(1024);
        });

        Assert.Equal(GoAwayCode.ProtocolError, error.Code);
    }

    [Fact]
    public void Decoder_FramesSplitAcrossSegments_AreReassembledInOrder()
    {
        var output = new OutputBuffer();
        for (uint i = 1; i <= 3; i++)
        {
            var start = output.BeginFrame(FrameType.Message, FrameFlags.None, i);
            output.WriteRaw(new byte[10 * (int)i]);
            output.EndFrame(start);
        }
        var all = output.WrittenMemory.ToArray();
        var decoder = new FrameDecoder(1024);
        var ids = new List<uint>();
        var pending = Array.Empty<byte>();

        // Feed one byte at a time, keeping what the decoder did not consume, as a read loop does.
        foreach (var b in all)
        {
            pending = [.. pending, b];
            var buffer = new ReadOnlySequence<byte>(pending);
            while (decoder.TryDecode(ref buffer, out var header, out var payload) == DecodeResult.Frame)
            {
                Assert.Equal(10 * (int)header.CallId, (int)payload.Length);
                ids.Add(header.CallId);
                decoder.FrameDone();
            }
            pending = buffer.ToArray();
        }

        Assert.Equal([1u, 2u, 3u], ids);
    }

    [Fact]
    public void Decoder_LargeFrame_IsAssembledFromPiecesInOrder()
    {
        var output = new OutputBuffer();
        var start = output.BeginFrame(FrameType.Message, FrameFlags.None, 9);
        var body = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray();
        output.WriteRaw(body);
        output.EndFrame(start);
        var all = output.WrittenMemory.ToArray();
        var decoder = new FrameDecoder(1024 * 1024);
        byte[]? decoded = null;

        for (var offset = 0; offset < all.Length; offset += 50_000)
        {
            var buffer = new ReadOnlySequence<byte>(all, offset, Math.Min(50_000, all.Length - offset));
            if (decoder.TryDecode(ref buffer, out _, out var payload) == DecodeResult.Frame)
            {
                decoded = payload.ToArray();
                decoder.FrameDone();
            }
            Assert.True(buffer.IsEmpty);
        }

        Assert.Equal(body, decoded);
    }

    [Fact]
    public void Decoder_FrameOverTheLimit_IsReportedBeforeItsPayloadArrives_ThenSkipped()
    {
        var decoder = new FrameDecoder(1000);
        var header = new byte[FrameHeader.Size];
        new FrameHeader(5000, FrameType.Message, FrameFlags.None, 3).Write(header);
        var buffer = new ReadOnlySequence<byte>(header);

        Assert.Equal(DecodeResult.Oversized, decoder.TryDecode(ref buffer, out var oversized, out _));
        Assert.Equal(5000, oversized.Length);
        var body = new ReadOnlySequence<byte>(new byte[4999]);
        Assert.Equal(DecodeResult.NeedMore, decoder.TryDecode(ref body, out _, out _));
        Assert.True(decoder.HasPartialFrame);

        var next = new OutputBuffer();
        next.WriteByte(0);
        next.WriteEmptyFrame(FrameType.HalfClose, FrameFlags.None, 3);
        var rest = new ReadOnlySequence<byte>(next.WrittenMemory);
        Assert.Equal(DecodeResult.Frame, decoder.TryDecode(ref rest, out var after, out _));
        Assert.Equal(FrameType.HalfClose, after.Type);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x0C)]
    [InlineData(0xFF)]
    public void Decoder_UnknownFrameType_IsAProtocolError(byte type)
    {
        var header = new byte[FrameHeader.Size];
        header[4] = type;
        var buffer = new ReadOnlySequence<byte>(header);

        Assert.Throws<ProtocolException>(() => new FrameDecoder(100).TryDecode(ref buffer, out _, out _));
    }

    [Fact]
    public void Decoder_LengthOverOneGibibyte_IsAConnectionErrorWhateverTheType()
    {
        var header = new byte[FrameHeader.Size];
        new FrameHeader(int.MaxValue, FrameType.CallStart, FrameFlags.None, 1).Write(header);
        var buffer = new ReadOnlySequence<byte>(header);

        var error = Assert.Throws<ProtocolException>(() => new FrameDecoder(100).TryDecode(ref buffer, out _, out _));

        Assert.Equal(GoAwayCode.FrameTooLarge, error.Code);
    }

    [Fact]
    public void OutputBuffer_RollbackAfterAFailedFrame_LeavesEarlierFramesIntact()
    {
        var output = new OutputBuffer();
        output.WriteEmptyFrame(FrameType.HalfClose, FrameFlags.None, 1);
        var start = output.BeginFrame(FrameType.Message, FrameFlags.None, 2);
        output.WriteRaw(new byte[100]);
        output.Rollback(start);

        Assert.Equal(FrameHeader.Size, output.Length);
    }
}
