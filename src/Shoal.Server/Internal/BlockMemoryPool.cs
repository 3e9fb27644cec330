using System.Buffers;
using System.Collections.Concurrent;

namespace Shoal.Server.Internal;

/// <summary>
/// A <see cref="MemoryPool{T}"/> of fixed-size pinned blocks for Kestrel's socket transport, which
/// receives into (and sends from) one block at a time: with blocks larger than Kestrel's own 4 KiB, a
/// large message costs the server a quarter of the receive system calls or fewer.
/// </summary>
/// <remarks>
/// Every freed block is kept for reuse, so the pool never holds more than the most blocks that were in
/// use at once, and a burst of traffic makes no garbage: a pinned block left to the GC is freed only by a
/// full collection, and under a flood of large frames such garbage outgrew the memory the blocks in use
/// needed. Every <c>trimInterval</c> the pool lets go of the blocks that stayed free through the whole
/// interval (the fewest free blocks seen since the last trim), so memory a burst needed goes back to
/// the GC within two intervals once the burst is over.
/// </remarks>
internal sealed class BlockMemoryPool : MemoryPool<byte>
{
    private readonly ConcurrentQueue<Block> _free = new();
    private readonly int _blockSize;
    private readonly Timer? _trimTimer;
    private int _freeCount;
    private int _fewestFree;
    private volatile bool _disposed;

    /// <param name="blockSize">The size of every block.</param>
    /// <param name="trimInterval">How often blocks left unused are let go; <see cref="Timeout.InfiniteTimeSpan"/> for only when <see cref="Trim"/> is called.</param>
    public BlockMemoryPool(int blockSize, TimeSpan trimInterval)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        _blockSize = blockSize;
        if (trimInterval != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(trimInterval, TimeSpan.Zero);
            // The timer holds the pool only weakly: a pool its transport dropped without disposing it
            // is still collected, and the timer with it.
            var self = new WeakReference<BlockMemoryPool>(this);
            _trimTimer = new Timer(static state => TrimIfAlive((WeakReference<BlockMemoryPool>)state!), self, trimInterval, trimInterval);
        }
    }

    /// <inheritdoc/>
    public override int MaxBufferSize => _blockSize;

    /// <summary>Blocks kept for reuse now, for tests and diagnostics.</summary>
    public int FreeBlocks => Volatile.Read(ref _freeCount);

    /// <inheritdoc/>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, _blockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_free.TryDequeue(out var block))
        {
            var free = Interlocked.Decrement(ref _freeCount);
            LowerFewestFree(free);
            block.Lease();
            return block;
        }
        Volatile.Write(ref _fewestFree, 0);
        // Pinned: a socket operation pins its buffer anyway, and pinned blocks kept on the pinned object
        // heap do not fragment the others.
        return new Block(this, GC.AllocateUninitializedArray<byte>(_blockSize, pinned: true));
    }

    /// <summary>
    /// Lets go of the blocks that no rent needed since the last trim and starts a new interval. Called by
    /// the pool's timer; public for tests.
    /// </summary>
    public void Trim()
    {
        var unused = Math.Min(Interlocked.Exchange(ref _fewestFree, int.MaxValue), Volatile.Read(ref _freeCount));
        for (var i = 0; i < unused && _free.TryDequeue(out _); i++)
        {
            Interlocked.Decrement(ref _freeCount);
        }
        LowerFewestFree(Volatile.Read(ref _freeCount));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _trimTimer?.Dispose();
        while (_free.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    private static void TrimIfAlive(WeakReference<BlockMemoryPool> self)
    {
        if (self.TryGetTarget(out var pool) && !pool._disposed)
        {
            pool.Trim();
        }
    }

    private void LowerFewestFree(int free)
    {
        var fewest = Volatile.Read(ref _fewestFree);
        while (free < fewest)
        {
            var seen = Interlocked.CompareExchange(ref _fewestFree, free, fewest);
            if (seen == fewest)
            {
                return;
            }
            fewest = seen;
        }
    }

    private void Return(Block block)
    {
        if (_disposed)
        {
            return;
        }
        Interlocked.Increment(ref _freeCount);
        _free.Enqueue(block);
    }

    private sealed class Block(BlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private int _leased = 1;

        public Memory<byte> Memory => array;

        public void Lease() => Volatile.Write(ref _leased, 1);

        public void Dispose()
        {
            // A second Dispose must not put the block in the queue twice (two renters, one block).
            if (Interlocked.Exchange(ref _leased, 0) == 1)
            {
                pool.Return(this);
            }
        }
    }
}
