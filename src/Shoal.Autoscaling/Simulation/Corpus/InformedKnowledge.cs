namespace Shoal.Autoscaling.Simulation.Corpus;

/// <summary>What an <see cref="InformedScalingPolicy"/> is told of a corpus trace beyond what it observes.</summary>
public enum InformedKnowledge
{
    /// <summary>
    /// The trace's shape with every event, one lead time ahead and beyond: when a crowd comes, a level
    /// shifts, a batch starts. Only the noise is unknown.
    /// </summary>
    Oracle,

    /// <summary>
    /// The trace's shape without the timing of the events still to come: an event is known, with its whole
    /// course, from the first minute it is observed on; before, a random-timed one is unknown and a scheduled
    /// one is expected over the window its jitter allows. What is unknown is when events begin, and the noise.
    /// </summary>
    Prior,
}
