namespace Shoal.Autoscaling.Simulation.Corpus;

/// <summary>One trace of the evaluation corpus.</summary>
/// <param name="Family">The family it was generated from (or <c>worldcup98</c>).</param>
/// <param name="Seed">The seed (for a World Cup week, its index from 1).</param>
/// <param name="Split">Train or test.</param>
/// <param name="Trace">The load.</param>
/// <param name="Capacity">The requests per second one replica serves when the trace is evaluated.</param>
public sealed record CorpusTrace(string Family, int Seed, CorpusSplit Split, LoadTrace Trace, double Capacity)
{
    /// <summary>Gets the trace's name, <c>family/seed</c>.</summary>
    public string Name => Trace.Name;
}
