using System.Buffers;

namespace Shoal.Fuzzing.Infrastructure;

/// <summary>
/// How the transport targets cut their input into reads. The first input byte is the chunk size
/// (0: everything in one read); the rest is what the peer sends. Each chunk is its own buffer
/// segment, so parsers meet fields that straddle segments as they do behind a real socket.
/// </summary>
internal static class Chunks
{
    /// <summary>Splits an input into its chunk size and its body.</summary>
    public static (int ChunkSize, byte[] Body) Split(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return (0, []);
        }
        var body = input[1..].ToArray();
        return (input[0] == 0 ? Math.Max(body.Length, 1) : input[0], body);
    }

    /// <summary>The bytes of <paramref name="data"/> as a sequence with one segment per chunk.</summary>
    public static ReadOnlySequence<byte> AsSegments(byte[] data, int chunkSize)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        var first = new Segment(data.AsMemory(0, Math.Min(chunkSize, data.Length)), 0);
        var last = first;
        for (var offset = last.Memory.Length; offset < data.Length; offset += chunkSize)
        {
            last = last.Append(data.AsMemory(offset, Math.Min(chunkSize, data.Length - offset)));
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Prefixes <paramref name="body"/> with a chunk size, as the transport targets read it.</summary>
    public static byte[] Prefix(byte chunkSize, ReadOnlySpan<byte> body)
    {
        var input = new byte[body.Length + 1];
        input[0] = chunkSize;
        body.CopyTo(input.AsSpan(1));
        return input;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
