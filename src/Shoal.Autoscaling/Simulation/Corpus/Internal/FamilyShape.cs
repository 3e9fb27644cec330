namespace Shoal.Autoscaling.Simulation.Corpus.Internal;

/// <summary>What a family's generator drew for one trace, before its noise: the shape, its random-timed events and the noise's laws.</summary>
/// <param name="Minutes">The trace's length.</param>
/// <param name="Rate">The shape at a minute, counting only the events the filter accepts (requests per second).</param>
/// <param name="Events">The random-timed events, in onset order.</param>
/// <param name="Noise">The noise's laws.</param>
internal sealed record FamilyShape(int Minutes, Func<int, Func<TraceEvent, bool>, double> Rate, IReadOnlyList<TraceEvent> Events, NoiseModel Noise)
{
    /// <summary>A shape without random-timed events.</summary>
    public static FamilyShape Steady(int minutes, Func<int, double> rate, NoiseModel noise) => new(minutes, (m, _) => rate(m), [], noise);
}
