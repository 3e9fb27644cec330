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

    /// <summary>
    /// The sweep of an <see cref="InformedScalingPolicy"/> over the same nines as Shoal's (<see cref="FrontierComparison.NinesKnobs"/>,
    /// default 3, extended the same way), so its frontier compares with Shoal's at equal cost.
    /// </summary>
    /// <param name="model">What the trace's generator knew.</param>
    /// <param name="knowledge">How much of it the policy is told.</param>
    /// <param name="simulation">The cluster model.</param>
    /// <returns>The sweep.</returns>
    public static KnobSweep InformedSweep(TraceModel model, InformedKnowledge knowledge, SimulationOptions simulation) =>
        new(
            nines => new InformedScalingPolicy(model, knowledge, simulation, nines),
            FrontierComparison.NinesKnobs,
            3,
            FrontierComparison.DearerNines,
            FrontierComparison.CheaperNines);

    /// <summary>
    /// Runs an informed policy's sweep on every generated trace of finished comparisons, against their HPA
    /// runs: its frontier ratio is what that much knowledge reaches.
    /// </summary>
    /// <param name="results">Finished comparisons (<see cref="Run"/>).</param>
    /// <param name="startup">The startup delay they ran with.</param>
    /// <param name="knowledge">How much the policy is told.</param>
    /// <param name="parallelism">How many traces run at once.</param>
    /// <returns>Per result, the informed policy's comparison against HPA, or null for a trace with no generator (a real trace's week).</returns>
    public static IReadOnlyList<FrontierResult?> Informed(
        IReadOnlyList<(CorpusTrace Trace, FrontierResult Result)> results, TimeSpan startup, InformedKnowledge knowledge, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(results);
        var informed = new FrontierResult?[results.Count];
        Parallel.For(0, results.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
        {
            var (trace, result) = results[i];
            if (!TraceCorpus.IsFamily(trace.Family))
            {
                return;
            }

            var simulation = Simulation(trace, startup);
            var sweep = InformedSweep(TraceCorpus.Model(trace.Family, trace.Seed), knowledge, simulation);
            var runs = FrontierComparison.Sweep(trace.Trace, simulation, sweep, result.Hpa);
            informed[i] = FrontierComparison.Compare(runs.First(r => r.Knob == sweep.Default), runs, result.Hpa, []);
        });
        return informed;
    }
}
