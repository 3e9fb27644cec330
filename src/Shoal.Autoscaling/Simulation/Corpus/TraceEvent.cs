namespace Shoal.Autoscaling.Simulation.Corpus;

/// <summary>
/// An event of a generated trace whose timing is random: a flash crowd, a level shift, a launch, a batch
/// job (its schedule is known, its jitter is not). A policy that is not told the timing learns of it at its
/// onset at the earliest.
/// </summary>
/// <param name="Kind">What it is: <c>crowd</c>, <c>shift</c>, <c>launch</c> or <c>batch</c>.</param>
/// <param name="Onset">The first minute of the trace whose load it changes.</param>
public readonly record struct TraceEvent(string Kind, int Onset);
