namespace Shoal.Cli.Commands.Bench;

/// <summary>Where a benchmark run is: warming up, measuring, or done. Written by the runner, read by every caller.</summary>
internal sealed class BenchPhase
{
    /// <summary>Calls run but are not counted.</summary>
    public const int WarmingUp = 0;

    /// <summary>Calls that start and complete now are counted.</summary>
    public const int Measuring = 1;

    /// <summary>Callers stop after their call in flight.</summary>
    public const int Done = 2;

    private int _value = WarmingUp;

    /// <summary>The phase now.</summary>
    public int Current => Volatile.Read(ref _value);

    /// <summary>Moves to <paramref name="phase"/>.</summary>
    public void Set(int phase) => Volatile.Write(ref _value, phase);
}
