namespace Shoal.Autoscaling.Simulation;

/// <summary>
/// Seeded synthetic request-rate traces, one value per minute, peak about 1000 requests per second.
/// </summary>
/// <remarks>
/// Every trace carries two kinds of noise, because real traffic does: a slow multiplicative drift
/// (an AR(1) process, correlated over tens of minutes) and independent per-minute noise (σ = 5%).
/// The same seed gives the same trace on every machine.
/// </remarks>
public static class SyntheticTraces
{
    /// <summary>The names of the synthetic traces.</summary>
    public static readonly IReadOnlyList<string> Names = ["diurnal", "flash-crowd", "ramp", "sawtooth"];

    private const double Peak = 1000;

    /// <summary>Creates a synthetic trace by name.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="seed">The random seed.</param>
    /// <returns>The trace.</returns>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    public static LoadTrace Create(string name, int seed = 42) => name switch
    {
        "diurnal" => Diurnal(seed),
        "flash-crowd" => FlashCrowd(seed),
        "ramp" => Ramp(seed),
        "sawtooth" => Sawtooth(seed),
        _ => throw new ArgumentException($"unknown synthetic trace '{name}' (expected one of: {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>Seven days of a daily cycle (trough 10% of peak at 04:00, peak at 16:00), each day scaled by 0.8-1.1.</summary>
    /// <param name="seed">The random seed.</param>
    /// <returns>The trace.</returns>
    public static LoadTrace Diurnal(int seed = 42)
    {
        var random = new Random(seed);
        const int days = 7;
        var dayScale = Enumerable.Range(0, days).Select(_ => 0.8 + (0.3 * random.NextDouble())).ToArray();
        return Build("diurnal", days * 1440, random, minute => Peak * dayScale[minute / 1440] * DailyShape(minute));
    }

    /// <summary>
    /// Three days of a mild daily cycle (peak 150/s) with five flash crowds: each rises to 5-10× the load
    /// within 1-4 minutes, holds 20-60 minutes, then decays over 15-40 minutes.
    /// </summary>
    /// <param name="seed">The random seed.</param>
    /// <returns>The trace.</returns>
    public static LoadTrace FlashCrowd(int seed = 42)
    {
        var random = new Random(seed);
        const int minutes = 3 * 1440;
        var crowds = Enumerable.Range(0, 5).Select(i => (
            Start: (i * (minutes / 5)) + 120 + random.Next(minutes / 5 - 300),
            Factor: 5 + (5 * random.NextDouble()),
            Rise: 1 + random.Next(4),
            Hold: 20 + random.Next(41),
            Decay: 15.0 + random.Next(26))).ToArray();
        return Build("flash-crowd", minutes, random, minute =>
        {
            var factor = 1.0;
            foreach (var c in crowds)
            {
                var t = minute - c.Start;
                if (t < 0)
                {
                    continue;
                }

                var shape = t < c.Rise ? (t + 1.0) / (c.Rise + 1.0)
                    : t < c.Rise + c.Hold ? 1.0
                    : Math.Exp(-(t - c.Rise - c.Hold) / c.Decay);
                factor = Math.Max(factor, 1 + ((c.Factor - 1) * shape));
            }

            return 0.15 * Peak * (0.3 + (0.7 * DailyShape(minute))) * factor;
        });
    }

    /// <summary>Two days of ramps: up from 5% to 100% over 6 hours, hold 2 hours, down over 6 hours, then a steeper 3-hour ramp.</summary>
    /// <param name="seed">The random seed.</param>
    /// <returns>The trace.</returns>
    public static LoadTrace Ramp(int seed = 42)
    {
        var random = new Random(seed);
        double[] knots = [0, 0.05, 120, 0.05, 480, 1.0, 600, 1.0, 960, 0.05, 1440, 0.05, 1620, 0.8, 1800, 0.8, 2000, 0.1, 2880, 0.1];
        return Build("ramp", 2 * 1440, random, minute => Peak * Interpolate(knots, minute));
    }

    /// <summary>Two days of a 60-minute sawtooth: a linear climb from 10% to 100% over 55 minutes, then a 5-minute fall.</summary>
    /// <param name="seed">The random seed.</param>
    /// <returns>The trace.</returns>
    public static LoadTrace Sawtooth(int seed = 42)
    {
        var random = new Random(seed);
        return Build("sawtooth", 2 * 1440, random, minute =>
        {
            var phase = minute % 60;
            var shape = phase < 55 ? 0.1 + (0.9 * phase / 55.0) : 1.0 - (0.9 * (phase - 54) / 6.0);
            return Peak * shape;
        });
    }

    private static double DailyShape(int minute)
    {
        var hours = (minute % 1440) / 60.0;
        return 0.1 + (0.9 * 0.5 * (1 - Math.Cos(2 * Math.PI * (hours - 4) / 24)));
    }

    private static double Interpolate(double[] knots, int minute)
    {
        for (var i = 2; i < knots.Length; i += 2)
        {
            if (minute <= knots[i])
            {
                var (x0, y0, x1, y1) = (knots[i - 2], knots[i - 1], knots[i], knots[i + 1]);
                return y0 + ((y1 - y0) * (minute - x0) / (x1 - x0));
            }
        }

        return knots[^1];
    }

    private static LoadTrace Build(string name, int minutes, Random random, Func<int, double> rate)
    {
        var counts = new double[minutes];
        var drift = 0.0;
        for (var m = 0; m < minutes; m++)
        {
            drift = (0.95 * drift) + (0.01 * Gaussian(random));
            var noise = Math.Exp(drift + (0.05 * Gaussian(random)));
            counts[m] = Math.Round(Math.Max(0, rate(m) * noise * 60));
        }

        return new LoadTrace(name, TimeSpan.FromMinutes(1), counts, new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
