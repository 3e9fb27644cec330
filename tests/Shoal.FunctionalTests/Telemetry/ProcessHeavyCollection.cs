namespace Shoal.FunctionalTests.Telemetry;

/// <summary>
/// Tests that start several processes at once run alone, after the others: the cluster scenarios
/// measure latencies and must not share the 2 cores with them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessHeavyCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Process-heavy, run alone";
}
