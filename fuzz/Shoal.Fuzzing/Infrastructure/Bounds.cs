namespace Shoal.Fuzzing.Infrastructure;

/// <summary>The time and memory one input may take before it counts as a hang or as unbounded memory.</summary>
internal static class Bounds
{
    /// <summary>
    /// How long one stage of a run may take. Inputs run in milliseconds; this only catches a run that
    /// would never end, with room for a shared, loaded machine. afl-fuzz's own timeout (scripts/fuzz.sh) is longer.
    /// </summary>
    public static readonly TimeSpan Time = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Bytes one input may make the process allocate. The largest frame the native transport accepts
    /// by default is 4 MiB + 64 KiB and afl-fuzz inputs are at most 1 MiB, so a run that allocates
    /// 256 MiB is growing without a bound of its own.
    /// </summary>
    public const long AllocatedBytes = 256L * 1024 * 1024;

    /// <summary>Waits for <paramref name="task"/> within <see cref="Time"/> and rethrows what it threw.</summary>
    public static void Wait(Task task, string what)
    {
        using var timeout = new CancellationTokenSource();
        var delay = Task.Delay(Time, timeout.Token);
        if (Task.WhenAny(task, delay).GetAwaiter().GetResult() != task)
        {
            throw new FuzzFindingException($"hang: {what} did not finish within {Time.TotalSeconds:0} s");
        }
        timeout.Cancel();
        task.GetAwaiter().GetResult();
    }

    /// <summary>Runs <paramref name="body"/> and fails when it allocated more than <see cref="AllocatedBytes"/>.</summary>
    public static void WithinMemory(Action body)
    {
        var before = GC.GetTotalAllocatedBytes(precise: false);
        body();
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
        if (allocated > AllocatedBytes)
        {
            throw new FuzzFindingException($"memory: one input allocated {allocated / (1024 * 1024)} MiB (bound {AllocatedBytes / (1024 * 1024)} MiB)");
        }
    }
}
