namespace Shoal.Autoscaling.Simulation.Corpus.Internal;

/// <summary>
/// The generators of the corpus families. Each draws its shape's parameters from ranges wide enough that
/// no two seeds look alike, and a peak between 400 and 6,000 requests per second (4 to 60 replicas of 100/s).
/// </summary>
internal static partial class CorpusFamilies
{
    /// <summary>The first minute of every synthetic trace: a Monday, midnight UTC.</summary>
    public static readonly DateTimeOffset Origin = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static readonly Func<TraceEvent, bool> Everything = static _ => true;

    public static readonly IReadOnlyList<string> Names =
    [
        "diurnal", "weekly-holiday", "hourly-cron", "flash-crowd", "launch-ramp",
        "level-shift-up", "level-shift-down", "heavy-tail", "on-off-batch", "sawtooth",
    ];

    public static LoadTrace Generate(string family, int seed)
    {
        var (shape, random) = Draw(family, seed);
        var factors = shape.Noise.Factors(random, shape.Minutes);
        var counts = new double[shape.Minutes];
        for (var m = 0; m < shape.Minutes; m++)
        {
            counts[m] = Math.Round(Math.Max(0, shape.Rate(m, Everything) * factors[m] * 60));
        }

        return new LoadTrace($"{family}/{seed}", TimeSpan.FromMinutes(1), counts, Origin);
    }

    /// <summary>What the generator knows of a trace: the same draws as <see cref="Generate"/> up to its noise.</summary>
    public static TraceModel Model(string family, int seed)
    {
        var (shape, _) = Draw(family, seed);
        var noise = shape.Noise;
        return new TraceModel(shape.Minutes, Origin, shape.Rate, shape.Events, noise.DriftSigma, NoiseModel.DriftMemory, noise.MinuteSigma, noise.TailDof);
    }

    /// <summary>
    /// The scale of the day a minute falls in, blended linearly with the neighbouring day's over the two hours
    /// either side of midnight: people do not all switch from a Sunday to a Monday at the stroke of midnight.
    /// </summary>
    public static double DayScale(double[] scales, int minute)
    {
        const int blend = 120;
        var day = minute / 1440;
        var offset = minute % 1440;
        if (offset < blend && day > 0)
        {
            var w = 0.5 + (0.5 * offset / blend);
            return (w * scales[day]) + ((1 - w) * scales[day - 1]);
        }

        if (offset >= 1440 - blend && day + 1 < scales.Length)
        {
            var w = 0.5 + (0.5 * (1440 - offset) / blend);
            return (w * scales[day]) + ((1 - w) * scales[day + 1]);
        }

        return scales[day];
    }

    /// <summary>Draws a trace's shape; the source is left where the noise's draws begin.</summary>
    private static (FamilyShape Shape, TraceRandom Random) Draw(string family, int seed)
    {
        var index = IndexOf(family);
        // Every family draws from its own stream, so seed 3 of one family says nothing about seed 3 of another.
        var random = new TraceRandom((seed * 7919) + (index * 104_729));
        var shape = family switch
        {
            "diurnal" => Diurnal(random),
            "weekly-holiday" => WeeklyHoliday(random),
            "hourly-cron" => HourlyCron(random),
            "flash-crowd" => FlashCrowd(random),
            "launch-ramp" => LaunchRamp(random),
            "level-shift-up" => LevelShift(random, up: true),
            "level-shift-down" => LevelShift(random, up: false),
            "heavy-tail" => HeavyTail(random),
            "on-off-batch" => OnOffBatch(random),
            _ => Sawtooth(random),
        };
        return (shape, random);
    }

    public static int IndexOf(string family)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], family, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"unknown trace family '{family}' (expected one of: {string.Join(", ", Names)})", nameof(family));
    }

    /// <summary>A week of a daily cycle, each day scaled by 0.85-1.15.</summary>
    private static FamilyShape Diurnal(TraceRandom random)
    {
        const int days = 7;
        var peak = random.LogUniform(400, 6000);
        var profile = new DailyProfile(random, 0.1, 0.5);
        var dayScale = Enumerable.Range(0, days).Select(_ => random.Uniform(0.85, 1.15)).ToArray();
        return FamilyShape.Steady(days * 1440, m => peak * DayScale(dayScale, m) * profile.At(m), NoiseModel.Typical(random));
    }

    /// <summary>
    /// Three or four weeks of a daily cycle with a quieter weekend (40-85% of a weekday) and one holiday
    /// on a weekday after the first week (30-70% of a weekday).
    /// </summary>
    private static FamilyShape WeeklyHoliday(TraceRandom random)
    {
        var weeks = random.Integer(3, 4);
        var peak = random.LogUniform(400, 6000);
        var profile = new DailyProfile(random, 0.1, 0.4);
        var weekday = Enumerable.Range(0, 7).Select(d => d < 5 ? random.Uniform(0.93, 1.07) : random.Uniform(0.4, 0.85)).ToArray();
        var holiday = (7 * random.Integer(1, weeks - 1)) + random.Integer(0, 4);
        var holidayScale = random.Uniform(0.3, 0.7);
        var scales = Enumerable.Range(0, weeks * 7).Select(d => d == holiday ? holidayScale : weekday[d % 7]).ToArray();
        return FamilyShape.Steady(weeks * 7 * 1440, m => peak * DayScale(scales, m) * profile.At(m), NoiseModel.Typical(random));
    }

    /// <summary>
    /// Three days of a mild daily cycle with a burst at the same minute of every hour (1.8-3.2x for 3-10
    /// minutes, rising within a minute), and in some traces smaller bursts every quarter hour as well.
    /// </summary>
    private static FamilyShape HourlyCron(TraceRandom random)
    {
        var baseline = random.LogUniform(150, 2000);
        var profile = new DailyProfile(random, 0.3, 0.7);
        var factor = random.Uniform(1.8, 3.2);
        var length = random.Integer(3, 10);
        var offset = random.Integer(0, 59);
        var quarter = random.Chance(0.4);
        var quarterFactor = random.Uniform(1.2, 1.6);
        return FamilyShape.Steady(3 * 1440, m =>
        {
            var phase = ((m % 60) - offset + 60) % 60;
            var burst = phase < length ? factor : quarter && phase % 15 < 2 ? quarterFactor : 1;
            return baseline * profile.At(m) * burst;
        }, NoiseModel.Typical(random));
    }
}
