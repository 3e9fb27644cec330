using Shoal.Server.Internal;

namespace Shoal.Server.Tests.Internal;

public sealed class BlockMemoryPoolTests
{
    [Fact]
    public void Rent_AnySizeUpToTheBlock_GivesAWholeBlock()
    {
        using var pool = new BlockMemoryPool(16384, Timeout.InfiniteTimeSpan);

        using var any = pool.Rent();
        using var small = pool.Rent(1);
        using var whole = pool.Rent(16384);

        Assert.Equal(16384, pool.MaxBufferSize);
        Assert.All(new[] { any, small, whole }, b => Assert.Equal(16384, b.Memory.Length));
    }

    [Fact]
    public void Rent_MoreThanABlock_Throws()
    {
        using var pool = new BlockMemoryPool(16384, Timeout.InfiniteTimeSpan);

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(16385));
    }

    [Fact]
    public void Dispose_OfARentedBlock_ReturnsItForReuse()
    {
        using var pool = new BlockMemoryPool(4096, Timeout.InfiniteTimeSpan);
        var first = pool.Rent();
        first.Memory.Span[0] = 42;

        first.Dispose();
        using var second = pool.Rent();

        Assert.Same(first, second);
        Assert.Equal(0, pool.FreeBlocks);
    }

    [Fact]
    public void Dispose_Twice_ReturnsTheBlockOnce()
    {
        using var pool = new BlockMemoryPool(4096, Timeout.InfiniteTimeSpan);
        var block = pool.Rent();

        block.Dispose();
        block.Dispose();

        Assert.Equal(1, pool.FreeBlocks);
        using var a = pool.Rent();
        using var b = pool.Rent();
        Assert.NotSame(a, b);
    }

    [Fact]
    public void Return_KeepsEveryFreedBlock()
    {
        using var pool = new BlockMemoryPool(4096, Timeout.InfiniteTimeSpan);
        var blocks = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();

        blocks.ForEach(b => b.Dispose());
        var again = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();

        Assert.Equal(0, pool.FreeBlocks);
        Assert.Equal(blocks.ToHashSet(), again.ToHashSet());
    }

    [Fact]
    public void Trim_LetsGoOfTheBlocksThatStayedFreeThroughAWholeInterval()
    {
        using var pool = new BlockMemoryPool(4096, Timeout.InfiniteTimeSpan);
        Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList().ForEach(b => b.Dispose());

        pool.Trim(); // the burst used all ten during this interval
        Assert.Equal(10, pool.FreeBlocks);

        pool.Trim(); // none was rented during this one
        Assert.Equal(0, pool.FreeBlocks);
    }

    [Fact]
    public void Trim_KeepsWhatTheIntervalsRentsNeeded()
    {
        using var pool = new BlockMemoryPool(4096, Timeout.InfiniteTimeSpan);
        Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList().ForEach(b => b.Dispose());
        pool.Trim();

        for (var round = 0; round < 3; round++)
        {
            var held = Enumerable.Range(0, 4).Select(_ => pool.Rent()).ToList(); // at most four at once
            held.ForEach(b => b.Dispose());
        }
        pool.Trim();

        Assert.Equal(4, pool.FreeBlocks);
        pool.Trim();
        Assert.Equal(0, pool.FreeBlocks);
    }

    [Fact]
    public async Task Timer_TrimsUnusedBlocksWithoutACall()
    {
        using var pool = new BlockMemoryPool(4096, TimeSpan.FromMilliseconds(50));
        Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList().ForEach(b => b.Dispose());

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (pool.FreeBlocks > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, pool.FreeBlocks);
    }

    [Fact]
    public void Pool_Disposed_DropsItsBlocksAndRefusesRents()
    {
        var pool = new BlockMemoryPool(4096, Timeout.InfiniteTimeSpan);
        var kept = pool.Rent();
        var late = pool.Rent();
        kept.Dispose();

        pool.Dispose();
        late.Dispose();

        Assert.Equal(0, pool.FreeBlocks);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [Fact]
    public async Task RentAndDispose_FromManyThreads_NeverHandsOneBlockToTwoRenters()
    {
        using var pool = new BlockMemoryPool(4096, Timeout.InfiniteTimeSpan);
        var failures = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                using var block = pool.Rent();
                var span = block.Memory.Span;
                span[0] = (byte)worker;
                span[4095] = (byte)worker;
                Thread.SpinWait(10);
                if (span[0] != worker || span[4095] != worker)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));

        Assert.Equal(0, failures);
        Assert.InRange(pool.FreeBlocks, 1, 4);
    }
}
