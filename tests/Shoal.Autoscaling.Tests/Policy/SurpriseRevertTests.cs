using Shoal.Autoscaling.Simulation;

namespace Shoal.Autoscaling.Tests.Policy;

/// <summary>
/// Known answers of <see cref="Shoal.Autoscaling.Policy.ShoalScalingPolicy"/> on a flat 1,000/s (ten replicas at
/// 100/s each) with ±1% noise, a blip of 4-9% in a random one minute of forty (gone the next minute), and every two to
/// four hours a climb that goes on: up 12% in one minute, 24% the next, held for half an hour. The climbs teach the
/// calibration that a surprise may go on as far again; the blips are far beyond three mean absolute deviations (the
/// surprise detector's clip) but inside the 99.9% quantile of the errors the calibration provisioned for, as one
/// minute in a hundred of Gaussian noise is (beyond 2.4 σ, inside 3.1 σ).
/// </summary>
public sealed class SurpriseRevertTests
{
    private const int Day = 1440;

    private static readonly SimulationOptions Cluster = new() { CapacityPerInstance = 100, Startup = TimeSpan.FromSeconds(60) };

    [Fact]
    public void NoiseInsideTheProvisionedQuantile_IsNotAnsweredWithScaleEventPairs()
    {
        var trace = ShoalScalingPolicyTests.PerMinute("climbs", 3 * Day, Climbs(3 * Day));

        var report = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, Cluster), Cluster);

        // Only the flat stretches of the last two days (from an hour after a climb ended to its next start): there
        // the count has nothing to follow, and an answered blip is an up and a down a stabilisation window later.
        // Measured: 11 changes (blips beyond the provisioned upper end are still answered); 32 when every blip
        // beyond three scales was answered as a jump that may go on.
        var flat = report.Timeline.Skip(Day).Where(p => Flat((int)p.Offset.TotalMinutes)).ToArray();
        var changes = flat.Zip(flat.Skip(1)).Count(pair => pair.Second.Desired != pair.First.Desired);
        Assert.InRange(changes, 0, 16);
        Assert.All(flat, p => Assert.True(p.Ready * 100 >= p.Load, $"{p.Offset}: {p.Ready} ready for {p.Load:F0}/s"));
    }

    [Fact]
    public void ClimbsBeyondTheNoise_AreStillFollowedWithinFiveIntervals()
    {
        var trace = ShoalScalingPolicyTests.PerMinute("climbs", 3 * Day, Climbs(3 * Day));

        var report = ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, Cluster), Cluster);

        // Each climb's first minute is a surprise; five intervals later (the tick that saw it, then the lead time)
        // its replicas serve, so from the climb's third minute on every minute is served.
        foreach (var start in Starts(3 * Day).Where(s => s >= Day))
        {
            Assert.All(report.Timeline.Skip(start + 2).Take(ClimbLength - 2), p => Assert.True(p.Ready * 100 >= p.Load, $"{p.Offset}: {p.Ready} ready for {p.Load:F0}/s"));
        }
    }

    private const int ClimbLength = 30;

    /// <summary>Climb starts: two to four hours apart, no period.</summary>
    private static IEnumerable<int> Starts(int minutes)
    {
        for (int start = 90, k = 0; start < minutes - ClimbLength; start += 120 + (k * 47 % 120), k++)
        {
            yield return start;
        }
    }

    /// <summary>Whether a minute is at least an hour after the end of every climb before it, and not in one.</summary>
    private static bool Flat(int minute) => !Starts(minute + 1).Any(s => minute < s + ClimbLength + 60);

    /// <summary>The load per minute: 1,000/s, the climbs, and the seeded Gaussian noise (the same on every run).</summary>
    private static Func<int, double> Climbs(int minutes)
    {
        var random = new Random(7);
        var noise = Enumerable.Range(0, minutes).Select(m => (1 + (0.01 * Math.Sin(m * 12.9898))) * (random.Next(40) == 0 ? 1.04 + (0.05 * random.NextDouble()) : 1)).ToArray();
        var level = new double[minutes];
        Array.Fill(level, 1.0);
        foreach (var start in Starts(minutes))
        {
            level[start] = 1.12;
            for (var m = start + 1; m < start + ClimbLength; m++)
            {
                level[m] = 1.24;
            }
        }

        return m => 1000 * level[m] * noise[m];
    }
}
