namespace Shoal.Autoscaling.Tests.Forecasting;

/// <summary>
/// A batch schedule for known-answer tests: 300/s of background, 1,500/s while a batch runs, a batch every
/// <c>period</c> minutes for a third of it, its start and its stop each moved by up to <c>jitter</c> minutes
/// (drawn from a seeded generator), ±2% of deterministic noise.
/// </summary>
internal static class Batches
{
    public const double Background = 300;
    public const double Level = 1500;

    /// <summary>The scheduled start of the batch of cycle <paramref name="cycle"/>.</summary>
    public static int Scheduled(int cycle, int period) => 10 + (cycle * period);

    /// <summary>The series and the actual starts of its batches.</summary>
    public static (double[] Values, int[] Starts) Generate(int minutes, int period, int jitter, int seed)
    {
        var random = new Random(seed);
        var values = new double[minutes];
        var starts = new List<int>();
        for (var minute = 0; minute < minutes; minute++)
        {
            values[minute] = Background * Noise(minute);
        }

        for (var cycle = 0; Scheduled(cycle, period) < minutes; cycle++)
        {
            var from = Scheduled(cycle, period) + random.Next(-jitter, jitter + 1);
            var to = from + (period / 3) + random.Next(-jitter, jitter + 1);
            starts.Add(from);
            for (var minute = from; minute < Math.Min(minutes, to); minute++)
            {
                values[minute] = Level * Noise(minute);
            }
        }

        return (values, [.. starts]);
    }

    public static double[] Series(int minutes, int period, int jitter, int seed) => Generate(minutes, period, jitter, seed).Values;

    public static double Noise(int minute) => 1 + (0.02 * Math.Sin(minute * 1.7));
}
