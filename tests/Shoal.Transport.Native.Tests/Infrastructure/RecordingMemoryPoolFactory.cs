using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Shoal.Server.Internal;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>Hands Kestrel the pools of <see cref="BlockMemoryPoolFactory"/> and keeps them, so a test can see they were used.</summary>
internal sealed class RecordingMemoryPoolFactory(int blockSize) : IMemoryPoolFactory<byte>
{
    private readonly BlockMemoryPoolFactory _inner = new(blockSize);
    private readonly ConcurrentQueue<BlockMemoryPool> _pools = new();

    /// <summary>Blocks kept for reuse in every pool handed out: more than zero once a connection received and gave blocks back.</summary>
    public int FreeBlocks => _pools.Sum(p => p.FreeBlocks);

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        var pool = (BlockMemoryPool)_inner.Create(options);
        _pools.Enqueue(pool);
        return pool;
    }
}
