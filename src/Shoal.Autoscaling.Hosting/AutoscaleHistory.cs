namespace Shoal.Autoscaling.Hosting;

/// <summary>
/// The latest control ticks of a running autoscaler, oldest first, bounded: what its status service
/// (<see cref="AutoscalerStatusService"/>) hands the dashboard. Safe to read while ticks are recorded.
/// </summary>
public sealed class AutoscaleHistory
{
    /// <summary>The ticks kept by default: two hours at the default 15 s interval, 4 minutes at 1 s.</summary>
    public const int DefaultCapacity = 480;

    private readonly Queue<AutoscaleDecision> _ticks = new();
    private readonly Lock _gate = new();

    /// <summary>Creates a history of at most <paramref name="capacity"/> ticks.</summary>
    /// <param name="capacity">The ticks kept (the latest ones); at least 1.</param>
    public AutoscaleHistory(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Gets the most ticks kept.</summary>
    public int Capacity { get; }

    /// <summary>Adds a tick, dropping the oldest one past <see cref="Capacity"/>.</summary>
    /// <param name="tick">The tick.</param>
    public void Record(AutoscaleDecision tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        lock (_gate)
        {
            _ticks.Enqueue(tick);
            while (_ticks.Count > Capacity)
            {
                _ticks.Dequeue();
            }
        }
    }

    /// <summary>The latest <paramref name="max"/> ticks (all when 0 or less), oldest first.</summary>
    /// <param name="max">The most ticks returned.</param>
    /// <returns>A copy.</returns>
    public IReadOnlyList<AutoscaleDecision> Latest(int max = 0)
    {
        lock (_gate)
        {
            var skip = max > 0 ? Math.Max(0, _ticks.Count - max) : 0;
            return [.. _ticks.Skip(skip)];
        }
    }
}
