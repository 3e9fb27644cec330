namespace Shoal.Autoscaling.Simulation.Corpus;

/// <summary>Runs the frontier comparison over corpus traces, several traces at once.</summary>
public static class CorpusEvaluation
{
    /// <summary>The cluster model a corpus trace is evaluated on: its capacity, the given startup, the simulator's defaults otherwise.</summary>
    /// <param name="trace">The corpus trace.</param>
    /// <param name="startup">The startup delay.</param>
    /// <returns>The cluster model.</returns>
    public static SimulationOptions Simulation(CorpusTrace trace, TimeSpan startup)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return new SimulationOptions { CapacityPerInstance = trace.Capacity, Startup = startup };
    }

    /// <summary>Compares every trace.</summary>
    /// <param name="traces">The traces.</param>
    /// <param name="startup">The startup delay.</param>
    /// <param name="sweep">Shoal's sweep for a trace and its cluster model.</param>
    /// <param name="parallelism">How many traces run at once.</param>
    /// <returns>The results, in the order of <paramref name="traces"/>.</returns>
    public static IReadOnlyList<(CorpusTrace Trace, FrontierResult Result)> Run(
        IReadOnlyList<CorpusTrace> traces, TimeSpan startup, Func<CorpusTrace, SimulationOptions, KnobSweep> sweep, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(sweep);
        var results = new FrontierResult[traces.Count];
        Parallel.For(0, traces.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
        {
            var simulation = Simulation(traces[i], startup);
            results[i] = FrontierComparison.Run(traces[i].Trace, simulation, sweep(traces[i], simulation));
        });
        return [.. traces.Select((t, i) => (t, results[i]))];
    }
}
