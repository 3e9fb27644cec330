namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>
/// The retry budget (the <c>RetryBudget</c> section of <see cref="ClusterOptions"/>): retries and
/// hedges of a cluster may add at most <see cref="Ratio"/> of the calls of the last
/// <see cref="Window"/>, plus <see cref="MinRetriesPerSecond"/> so a quiet client can still retry
/// (Finagle's <c>RetryBudget</c>).
/// </summary>
public sealed class RetryBudgetOptions
{
    /// <summary>Whether retries are budgeted. Default true; turning it off lets every failing call retry in full.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Retries allowed per call in the window (0–1). Default 0.2.</summary>
    public double Ratio { get; set; } = 0.2;

    /// <summary>Retries allowed per second regardless of traffic. Default 10.</summary>
    public int MinRetriesPerSecond { get; set; } = 10;

    /// <summary>How far back calls and retries are counted, in whole seconds (1–60). Default 10 s.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
