using System.Buffers;
using System.Collections.Concurrent;

namespace Shoal.Server.Internal;

/// <summary>
/// A <see cref="MemoryPool{T}"/> of fixed-size pinned blocks for Kestrel's socket transport, which
/// receives into (and sends from) one block at a time: with blocks larger than Kestrel's own 4 KiB, a
/// large message costs the server a quarter of the receive system calls or fewer. Freed blocks are kept
/// for reuse up to <c>retainedBlocks</c>; past that they are left to the GC, so a burst does not pin
/// memory for the life of the process.
/// </summary>
internal sealed class BlockMemoryPool : MemoryPool<byte>
{
    private readonly ConcurrentQueue<Block> _free = new();
    private readonly int _blockSize;
    private readonly int _retainedBlocks;
    private int _freeCount;
    private volatile bool _disposed;

    public BlockMemoryPool(int blockSize, int retainedBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        ArgumentOutOfRangeException.ThrowIfNegative(retainedBlocks);
        _blockSize = blockSize;
        _retainedBlocks = retainedBlocks;
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
            Interlocked.Decrement(ref _freeCount);
            block.Lease();
            return block;
        }
        // Pinned: a socket operation pins its buffer anyway, and pinned blocks kept on the pinned object
        // heap do not fragment the others.
        return new Block(this, GC.AllocateUninitializedArray<byte>(_blockSize, pinned: true));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        while (_free.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    private void Return(Block block)
    {
        if (_disposed)
        {
            return;
        }
        if (Interlocked.Increment(ref _freeCount) > _retainedBlocks)
        {
            Interlocked.Decrement(ref _freeCount);
            return;
        }
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
