using Shoal.Autoscaling.Simulation;
using Shoal.Autoscaling.Tests.Forecasting;

namespace Shoal.Autoscaling.Tests.Policy;

/// <summary>
/// Known answers of <see cref="Shoal.Autoscaling.Policy.ShoalScalingPolicy"/> after a permanent shift of a daily cycle's
/// level: 100 requests/s per replica, 15 s control ticks, 60 s forecast windows and a 60 s lead time, so a replica
/// asked for at the end of a tick serves from five ticks later.
/// </summary>
public sealed class LevelShiftTests
{
    /// <summary>Control intervals from the shift's first tick until its replicas serve: the tick that sees it, then the lead time.</summary>
    private const int FollowedWithin = 5;

    private const int Day = 1440;

    // The shift comes on the third day at 03:00, while the daily cycle climbs.
    private const int ShiftAt = (2 * Day) + 180;

    private static readonly SimulationOptions Cluster = new() { CapacityPerInstance = 100, Startup = TimeSpan.FromSeconds(60) };

    [Fact]
    public void SeasonalShiftUp_IsFollowedWithinFiveIntervals_AndTheNextDayIsProvisionedForTheNewLevel()
    {
        var trace = Daily("up", 4 * Day, m => m >= ShiftAt ? 2 : 1);
        var always = Daily("always", 4 * Day, _ => 2);

        var report = ClusterSimulator.Run(trace, Policy(trace), Cluster);
        var reference = ClusterSimulator.Run(always, Policy(always), Cluster);

        // Five intervals after its first tick the shift is served: every minute from the second after it.
        var followed = ShiftAt + (int)Math.Ceiling(FollowedWithin / 4.0);
        Assert.All(report.Timeline.Skip(followed).Take(Day), p => Assert.True(p.Ready * 100 >= p.Load, $"{p.Offset}: {p.Ready} ready for {p.Load:F0}/s"));

        // From an hour after it on, a day costs per request what it costs a trace always at the new level:
        // neither the old season nor the shift's own forecast errors are carried into it.
        Assert.InRange(Headroom(report, ShiftAt + 60, ShiftAt + Day), 0, Headroom(reference, ShiftAt + 60, ShiftAt + Day) + 0.05);
    }

    [Fact]
    public void OneMinuteSpike_DoesNotRelevel()
    {
        var spiked = Daily("spike", 3 * Day, m => m == ShiftAt ? 2 : 1);
        var plain = Daily("plain", 3 * Day, _ => 1);

        var withSpike = ClusterSimulator.Run(spiked, Policy(spiked), Cluster);
        var without = ClusterSimulator.Run(plain, Policy(plain), Cluster);

        // From ten minutes after the spike on, give or take a replica, what is asked for is what the same day
        // without the spike asked for.
        for (var m = ShiftAt + 10; m < ShiftAt + 240; m++)
        {
            Assert.InRange(withSpike.Timeline[m].Desired, without.Timeline[m].Desired - 1, without.Timeline[m].Desired + 1);
        }
    }

    [Fact]
    public void SeasonalShiftDown_IsFollowedWithoutFlapping()
    {
        // Halved at the daily peak (06:00), where the cycle itself is flat for an hour.
        const int at = (2 * Day) + 360;
        var trace = Daily("down", 4 * Day, m => m >= at ? 0.5 : 1);
        var always = Daily("always", 4 * Day, _ => 0.5);

        var report = ClusterSimulator.Run(trace, Policy(trace), Cluster);
        var reference = ClusterSimulator.Run(always, Policy(always), Cluster);

        // Within the scale-down stabilisation (three minutes) and a lead time the count is down to the new level,
        // in one direction only, and from an hour after it on a day costs per request what it costs a trace
        // always at the new level.
        var hour = report.Timeline.Skip(at - 1).Take(61).ToArray();
        Assert.All(hour.Zip(hour.Skip(1)), pair => Assert.True(pair.Second.Desired <= pair.First.Desired, $"{pair.Second.Offset}: up from {pair.First.Desired} to {pair.Second.Desired}"));
        Assert.All(report.Timeline.Skip(at + 5).Take(55), p => Assert.True(p.Ready * 100 <= p.Load * 1.5, $"{p.Offset}: {p.Ready} ready for {p.Load:F0}/s"));
        Assert.InRange(Headroom(report, at + 60, at + Day), 0, Headroom(reference, at + 60, at + Day) + 0.05);
    }

    /// <summary>A daily cycle (500/s ± 300/s, its peak at 06:00) times a level, with the tests' deterministic ±2% noise.</summary>
    private static LoadTrace Daily(string name, int minutes, Func<int, double> level) =>
        new(name, TimeSpan.FromMinutes(1), [.. Enumerable.Range(0, minutes).Select(m => level(m) * (500 + (300 * Math.Sin(2 * Math.PI * m / Day))) * SeasonalEnsembleForecasterTests.Noise(m) * 60)]);

    private static Shoal.Autoscaling.Policy.ShoalScalingPolicy Policy(LoadTrace trace) => FairComparison.CreateShoal(trace, Cluster);

    /// <summary>Replica capacity over the load, minus one, over the minutes [from, to).</summary>
    private static double Headroom(SimulationReport report, int from, int to)
    {
        var points = report.Timeline.Skip(from).Take(to - from).ToArray();
        return (points.Sum(p => p.Ready * 100.0) / points.Sum(p => p.Load)) - 1;
    }
}
