using Shoal.Fuzzing.Infrastructure;
using Shoal.Fuzzing.Targets;

namespace Shoal.Fuzzing.Tests;

/// <summary>The harness itself: it must be able to report what it is there to find.</summary>
public sealed class HarnessTests
{
    [Fact]
    public void Replay_TargetThatThrowsAnUndocumentedException_ReportsIt()
    {
        var finding = FuzzRunner.Replay(new ThrowingTarget(), [1, 2, 3]);

        Assert.IsType<IndexOutOfRangeException>(finding);
    }

    [Fact]
    public void Wait_TaskThatNeverEnds_IsReportedAsAHang()
    {
        var never = new TaskCompletionSource();

        var finding = Assert.Throws<FuzzFindingException>(() => Bounds.Wait(never.Task, "a task that never ends"));

        Assert.StartsWith("hang:", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithinMemory_RunThatAllocatesPastTheBound_IsReported()
    {
        var finding = Assert.Throws<FuzzFindingException>(() => Bounds.WithinMemory(() =>
        {
            // 300 MiB in 1 MiB pieces, none kept: allocation is counted even when it is collected.
            for (var i = 0; i < 300; i++)
            {
                GC.KeepAlive(new byte[1024 * 1024]);
            }
        }));

        Assert.StartsWith("memory:", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chunks_SegmentedBuffer_HoldsTheBodyInChunksOfTheGivenSize()
    {
        var (chunkSize, body) = Chunks.Split([3, 10, 11, 12, 13, 14, 15, 16]);

        var sequence = Chunks.AsSegments(body, chunkSize);

        Assert.Equal(3, chunkSize);
        Assert.Equal(body, System.Buffers.BuffersExtensions.ToArray(sequence));
        Assert.Equal(3, sequence.FirstSpan.Length);
        Assert.False(sequence.IsSingleSegment);
    }

    private sealed class ThrowingTarget : IFuzzTarget
    {
        public string Name => "throwing";

        public string Description => "throws what a parser bug would";

        public void Run(ReadOnlySpan<byte> input) => throw new IndexOutOfRangeException("index " + input.Length);

        public IEnumerable<(string Name, byte[] Input)> Seeds() => [];
    }
}
