using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Transport.Native.Tests.Protocol;

/// <summary>
/// <see cref="FrameDecoder.DecodeBatch"/> over a read of many frames, as a read loop gets them: every
/// whole frame in order with its own payload, an oversized one reported and skipped wherever it sits,
/// the partial frame at the end left in the buffer, and a malformed header still a protocol error.
/// </summary>
public sealed class FrameDecoderBatchTests
{
    [Fact]
    public void DecodeBatch_ManyFramesInOneSegment_EachInOrderWithItsPayloadAndThePartialOneLeft()
    {
        var output = new OutputBuffer();
        for (uint i = 1; i <= 500; i++)
        {
            WriteFrame(output, i, Payload(i, (int)(i % 40)));
        }
        var whole = output.WrittenMemory.Length;
        WriteFrame(output, 501, Payload(501, 30));
        var bytes = output.WrittenMemory.ToArray()[..(whole + 20)];
        var sink = new RecordingSink();
        var buffer = new ReadOnlySequence<byte>(bytes);

        new FrameDecoder(1024).DecodeBatch(ref buffer, NewWriter(), sink);

        Assert.Equal(500, sink.Frames.Count);
        for (uint i = 1; i <= 500; i++)
        {
            Assert.Equal(i, sink.Frames[(int)i - 1].CallId);
            Assert.Equal(Payload(i, (int)(i % 40)), sink.Frames[(int)i - 1].Payload);
        }
        Assert.Equal(20, buffer.Length);
        Assert.Equal(bytes[whole..], buffer.ToArray());
    }

    [Fact]
    public void DecodeBatch_OversizedFrameBetweenSmallOnes_IsReportedAndTheNextFramesStillDecode()
    {
        var output = new OutputBuffer();
        WriteFrame(output, 1, Payload(1, 10));
        WriteFrame(output, 2, Payload(2, 300));
        WriteFrame(output, 3, Payload(3, 10));
        var sink = new RecordingSink();
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory.ToArray());

        new FrameDecoder(100).DecodeBatch(ref buffer, NewWriter(), sink);

        Assert.Equal([1u, 3u], sink.Frames.Select(f => f.CallId));
        Assert.Equal(Payload(3, 10), sink.Frames[1].Payload);
        Assert.Equal([2u], sink.Oversized);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void DecodeBatch_ReservedBitsSetInTheMiddle_IsAProtocolErrorAfterTheFramesBefore()
    {
        var output = new OutputBuffer();
        WriteFrame(output, 1, Payload(1, 10));
        WriteFrame(output, 2, Payload(2, 10));
        var bytes = output.WrittenMemory.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(FrameHeader.Size + 10 + 6), 1);
        var sink = new RecordingSink();
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Throws<ProtocolException>(() => new FrameDecoder(1024).DecodeBatch(ref buffer, NewWriter(), sink));

        Assert.Equal([1u], sink.Frames.Select(f => f.CallId));
    }

    private static FrameWriter NewWriter() => new(new Pipe().Writer, 1 << 20, _ => { });

    private static byte[] Payload(uint id, int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(id * 7 + i))];

    private static void WriteFrame(OutputBuffer output, uint id, byte[] payload)
    {
        var start = output.BeginFrame(FrameType.Message, FrameFlags.None, id);
        output.WriteRaw(payload);
        output.EndFrame(start);
    }

    private sealed class RecordingSink : IFrameSink
    {
        public List<(uint CallId, byte[] Payload)> Frames { get; } = [];

        public List<uint> Oversized { get; } = [];

        public void OnFrame(in FrameHeader header, in ReadOnlySequence<byte> payload) => Frames.Add((header.CallId, payload.ToArray()));

        public void OnOversized(in FrameHeader header) => Oversized.Add(header.CallId);

        public void OnOverBudget(in FrameHeader header) => throw new InvalidOperationException("No budget was given.");
    }
}
