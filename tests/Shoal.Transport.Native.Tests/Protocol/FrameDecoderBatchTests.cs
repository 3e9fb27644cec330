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

    /// <summary>
    /// Reads as a pipe gives them: each read a segment of its own behind what earlier batches left, of
    /// random sizes, so frames and headers lie whole in the first segment, across two, or across many;
    /// small frames, frames over 64 KiB (assembled), oversized ones (skipped) and empty ones mixed.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void DecodeBatch_FramesOverSegmentsOfRandomReads_EveryFrameInOrderAsWritten(int seed)
    {
        const int Limit = 100_000;
        var random = new Random(seed);
        var output = new OutputBuffer();
        var expected = new List<(uint CallId, byte[] Payload)>();
        var oversized = new List<uint>();
        for (uint i = 1; i <= 400; i++)
        {
            var length = random.Next(100) switch
            {
                0 => 70_000 + random.Next(5_000),
                1 => Limit + 1 + random.Next(50_000),
                < 5 => 0,
                < 90 => random.Next(1, 64),
                _ => random.Next(64, 3_000),
            };
            var payload = Payload(i, length);
            WriteFrame(output, i, payload);
            if (length > Limit)
            {
                oversized.Add(i);
            }
            else
            {
                expected.Add((i, payload));
            }
        }
        var bytes = output.WrittenMemory.ToArray();
        var decoder = new FrameDecoder(Limit);
        var sink = new RecordingSink();
        var pending = new List<byte[]>();
        var offset = 0;

        for (var at = 0; at < bytes.Length;)
        {
            var read = Math.Min(bytes.Length - at, random.Next(4) == 0 ? random.Next(1, 16) : random.Next(1, 40_000));
            pending.Add(bytes[at..(at + read)]);
            at += read;
            var buffer = Segments.Of(pending, offset);
            var before = buffer.Length;

            decoder.DecodeBatch(ref buffer, NewWriter(), sink);

            (pending, offset) = Segments.Rest(pending, offset, before - buffer.Length);
        }

        Assert.Equal(expected.Select(f => f.CallId), sink.Frames.Select(f => f.CallId));
        Assert.All(expected.Zip(sink.Frames), p => Assert.Equal(p.First.Payload, p.Second.Payload));
        Assert.Equal(oversized, sink.Oversized);
        Assert.False(decoder.HasPartialFrame);
        Assert.Empty(pending);
    }

    [Fact]
    public void DecodeBatch_SinkThrowsOnAFrame_LeavesTheBufferPastThatFrame()
    {
        var output = new OutputBuffer();
        WriteFrame(output, 1, Payload(1, 10));
        WriteFrame(output, 2, Payload(2, 20));
        WriteFrame(output, 3, Payload(3, 30));
        var bytes = output.WrittenMemory.ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);
        var sink = new RecordingSink { ThrowOn = 2 };

        Assert.Throws<InvalidOperationException>(() => new FrameDecoder(1024).DecodeBatch(ref buffer, NewWriter(), sink));

        Assert.Equal([1u], sink.Frames.Select(f => f.CallId));
        Assert.Equal(bytes[(FrameHeader.Size + 10 + FrameHeader.Size + 20)..], buffer.ToArray());
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

        public uint ThrowOn { get; init; }

        public void OnFrame(in FrameHeader header, in ReadOnlySequence<byte> payload)
        {
            if (header.CallId == ThrowOn)
            {
                throw new InvalidOperationException($"frame {ThrowOn}");
            }
            Frames.Add((header.CallId, payload.ToArray()));
        }

        public void OnOversized(in FrameHeader header) => Oversized.Add(header.CallId);

        public void OnOverBudget(in FrameHeader header) => throw new InvalidOperationException("No budget was given.");
    }

    /// <summary>A read loop's unconsumed input as a chain of segments, one per read.</summary>
    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        /// <summary>The reads in <paramref name="arrays"/>, from <paramref name="offset"/> into the first.</summary>
        public static ReadOnlySequence<byte> Of(List<byte[]> arrays, int offset)
        {
            var first = new Segments(arrays[0], 0);
            var last = first;
            foreach (var array in arrays.Skip(1))
            {
                var next = new Segments(array, last.RunningIndex + last.Memory.Length);
                last.Next = next;
                last = next;
            }
            return new ReadOnlySequence<byte>(first, offset, last, last.Memory.Length);
        }

        /// <summary>What is left of the reads after <paramref name="consumed"/> more bytes were taken.</summary>
        public static (List<byte[]> Arrays, int Offset) Rest(List<byte[]> arrays, int offset, long consumed)
        {
            var rest = new List<byte[]>(arrays);
            var left = offset + consumed;
            while (rest.Count > 0 && left >= rest[0].Length)
            {
                left -= rest[0].Length;
                rest.RemoveAt(0);
            }
            return (rest, (int)left);
        }
    }
}
