namespace Shoal.Autoscaling.Simulation.Corpus;

/// <summary>Which half of the corpus a trace belongs to: tuning happens on <see cref="Train"/> only.</summary>
public enum CorpusSplit
{
    /// <summary>Traces the policy may be tuned on.</summary>
    Train,

    /// <summary>Held-out traces: reported, never tuned on.</summary>
    Test,
}
