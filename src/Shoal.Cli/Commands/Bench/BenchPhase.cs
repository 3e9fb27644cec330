namespace Shoal.Cli.Commands.Bench;

/// <summary>
/// Where a benchmark run is: warming up, measuring, paused (while another run is measured in its
/// place), or done. Written by the runner, read by every caller.
/// </summary>
internal sealed class BenchPhase
{
    /// <summary>Calls run but are not counted.</summary>
    public const int WarmingUp = 0;

    /// <summary>Calls that start and complete now are counted.</summary>
    public const int Measuring = 1;

    /// <summary>Callers stop after their call in flight.</summary>
    public const int Done = 2;

    /// <summary>Callers finish their call in flight and wait (<see cref="WaitWhilePausedAsync"/>) before the next.</summary>
    public const int Paused = 3;

    private int _value;
    private int _parked;
    private TaskCompletionSource _resumed = NewGate();

    /// <summary>A phase that starts in <paramref name="initial"/>.</summary>
    public BenchPhase(int initial = WarmingUp)
    {
        _value = initial;
    }

    /// <summary>The phase now.</summary>
    public int Current => Volatile.Read(ref _value);

    /// <summary>Callers waiting in <see cref="WaitWhilePausedAsync"/> now.</summary>
    public int Parked => Volatile.Read(ref _parked);

    /// <summary>Moves to <paramref name="phase"/>; leaving <see cref="Paused"/> lets the waiting callers go.</summary>
    public void Set(int phase)
    {
        var was = Current;
        if (phase == Paused && was != Paused)
        {
            // The gate first: a caller that sees Paused finds this gate or a later one.
            Volatile.Write(ref _resumed, NewGate());
        }
        Volatile.Write(ref _value, phase);
        if (was == Paused && phase != Paused)
        {
            Volatile.Read(ref _resumed).TrySetResult();
        }
    }

    /// <summary>Returns at once unless the phase is <see cref="Paused"/>; then when it is left, or when the token is cancelled (without throwing).</summary>
    public async ValueTask WaitWhilePausedAsync(CancellationToken cancellationToken)
    {
        while (Current == Paused && !cancellationToken.IsCancellationRequested)
        {
            var gate = Volatile.Read(ref _resumed);
            Interlocked.Increment(ref _parked);
            try
            {
                if (Current == Paused)
                {
                    await gate.Task.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _parked);
            }
        }
    }

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
