using System.Buffers;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Benchmarks.Native;

/// <summary>
/// A read loop's batch of stream messages cut into frames (<see cref="FrameDecoder.DecodeBatch"/>), as
/// a server stream's client gets them: 64 message frames of 20 bytes in one read of a pipe, each handed
/// to a sink that does nothing. Per batch; divide by 64 for a frame.
/// </summary>
[MemoryDiagnoser]
public class NativeFrameBatchBenchmarks
{
    private const int Frames = 64;
    private readonly FrameDecoder _decoder = new(4 * 1024 * 1024 + ProtocolConstants.MetadataAllowance);
    private readonly FrameWriter _writer = new(new Pipe().Writer, 1 << 20, _ => { });
    private readonly CountingSink _sink = new();
    private ReadOnlySequence<byte> _read;

    [GlobalSetup]
    public void Setup()
    {
        var output = new OutputBuffer();
        for (uint i = 0; i < Frames; i++)
        {
            var start = output.BeginFrame(FrameType.Message, FrameFlags.None, 1);
            output.WriteRaw(new byte[20]);
            output.EndFrame(start);
        }
        // A pipe's read is a sequence of segments, not an array.
        var segment = new Segment(output.WrittenMemory.ToArray());
        _read = new ReadOnlySequence<byte>(segment, 0, segment, segment.Memory.Length);
    }

    [Benchmark]
    public int DecodeBatchOf64Messages()
    {
        var buffer = _read;
        _decoder.DecodeBatch(ref buffer, _writer, _sink);
        return _sink.Count;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;
    }

    private sealed class CountingSink : IFrameSink
    {
        public int Count { get; private set; }

        public void OnFrame(in FrameHeader header, in ReadOnlySequence<byte> payload) => Count += (int)payload.Length;

        public void OnOversized(in FrameHeader header)
        {
        }
    }
}
