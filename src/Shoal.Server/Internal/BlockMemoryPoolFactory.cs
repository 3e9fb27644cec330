using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Shoal.Server.Internal;

/// <summary>
/// Gives Kestrel's transports pools of <see cref="ShoalServerOptions.MemoryPoolBlockSize"/> blocks
/// (<see cref="BlockMemoryPool"/>), or Kestrel's own pools when that size is Kestrel's 4 KiB.
/// </summary>
internal sealed class BlockMemoryPoolFactory(int blockSize) : IMemoryPoolFactory<byte>
{
    /// <summary>The block size of Kestrel's own pool.</summary>
    public const int KestrelBlockSize = 4096;

    /// <summary>How often a pool lets go of the blocks that stayed free through the whole interval.</summary>
    public static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(10);

    public int BlockSize => blockSize;

    /// <inheritdoc/>
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new BlockMemoryPool(blockSize, TrimInterval);

    /// <summary>
    /// Registers the factory Kestrel takes its pools from: this one for blocks larger than Kestrel's,
    /// otherwise the one registered before (Kestrel's).
    /// </summary>
    public static void Register(IServiceCollection services)
    {
        var kestrels = services.LastOrDefault(d => d.ServiceType == typeof(IMemoryPoolFactory<byte>) && !d.IsKeyedService);
        services.AddSingleton<IMemoryPoolFactory<byte>>(sp =>
        {
            var size = sp.GetRequiredService<IOptions<ShoalServerOptions>>().Value.MemoryPoolBlockSize;
            if (size != KestrelBlockSize || kestrels is null)
            {
                return new BlockMemoryPoolFactory(size);
            }
            return kestrels switch
            {
                { ImplementationInstance: IMemoryPoolFactory<byte> instance } => instance,
                { ImplementationFactory: { } factory } => (IMemoryPoolFactory<byte>)factory(sp),
                { ImplementationType: { } type } => (IMemoryPoolFactory<byte>)ActivatorUtilities.CreateInstance(sp, type),
                _ => new BlockMemoryPoolFactory(size),
            };
        });
    }
}
