using Shoal.Autoscaling.Simulation;

namespace Shoal.Autoscaling.Tests.Robustness;

/// <summary>
/// Shoal against the HPA sweep at equal cost on every synthetic trace kind over seeds 1 to 5, startup
/// 60 s (deterministic: the same seed gives the same trace and the same runs). The wider matrix (seeds
/// 1-8, startups 30/60/120 s, the World Cup weeks) is <c>scripts/autoscale-matrix.cs</c>.
/// </summary>
public sealed class SyntheticRobustnessTests
{
    public static TheoryData<string, int> Cells()
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in SyntheticTraces.Names)
        {
            for (var seed = 1; seed <= 5; seed++)
            {
                data.Add(kind, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void SyntheticTrace_AtStartup60s_HasAtMostHalfTheHpaOverloadAtEqualCost(string kind, int seed)
    {
        var result = Compare(kind, seed);

        Assert.NotNull(result.Ratio);
        Assert.True(result.Ratio <= 0.5, Describe(result));
    }

    private static ComparisonResult Compare(string kind, int seed)
    {
        var trace = SyntheticTraces.Create(kind, seed);
        var options = new SimulationOptions { CapacityPerInstance = SimulationRunner.DefaultCapacity(trace), Startup = TimeSpan.FromSeconds(60) };
        return FairComparison.Run(trace, options);
    }

    private static string Describe(ComparisonResult r) =>
        FormattableString.Invariant($"{r.Shoal.Trace}: ratio {r.Ratio:F3}, Shoal {r.Shoal.OverloadedMinutes:F2} min at {r.Shoal.ReplicaMinutes:F0} replica-min, HPA {r.HpaOverloadedAtShoalCost:F2} at that cost");
}
