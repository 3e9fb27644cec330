
namespace Shoal.Client.Native;

/// <summary>
/// The budget for bytes of large frames that a server's native connections are assembling, shared
/// by all of them so that many connections cannot multiply it. A connection reserves a frame's
/// declared length when its header arrives and gives it back when the frame is handled or the
/// connection ends; a frame that does not fit is skipped instead of buffered.
/// </summary>
/// <remarks>
/// A Shoal host registers one instance in DI (sized by <c>NativeServerOptions.FrameAssemblyBudget</c> in Shoal.Server)
/// and every native endpoint's <c>NativeConnectionHandler</c> uses it; a handler created
/// without one makes its own. Thread-safe, lock-free.
/// </remarks>
public sealed class NativeFrameBudget
{
    private long _inUse;

    /// <summary>Creates a budget of <paramref name="capacity"/> bytes.</summary>
    public NativeFrameBudget(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    /// <summary>The bytes that may be reserved at once.</summary>
    public long Capacity { get; }

    /// <summary>The bytes reserved right now.</summary>
    public long InUse => Volatile.Read(ref _inUse);

    /// <summary>Reserves <paramref name="bytes"/> when they fit in what is left; returns false (reserving nothing) when not.</summary>
    internal bool TryReserve(long bytes)
    {
        var current = Volatile.Read(ref _inUse);
        while (true)
        {
            if (bytes > Capacity - current)
            {
                return false;
            }
            var seen = Interlocked.CompareExchange(ref _inUse, current + bytes, current);
            if (seen == current)
            {
                return true;
            }
            current = seen;
        }
    }

    /// <summary>Gives back what <see cref="TryReserve"/> reserved.</summary>
    internal void Release(long bytes)
    {
        var left = Interlocked.Add(ref _inUse, -bytes);
        if (left < 0)
        {
            throw new InvalidOperationException($"The frame budget was released {-left} bytes more than was reserved.");
        }
    }
}
