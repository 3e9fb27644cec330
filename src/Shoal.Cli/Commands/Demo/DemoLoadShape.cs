using Shoal.Autoscaling.Simulation;

namespace Shoal.Cli.Commands.Demo;

/// <summary>
/// The demo's offered load: one day of the WorldCup 1998 trace, averaged into one bucket per control
/// interval, scaled so its peak is a given rate, and compressed into the demo's duration.
/// </summary>
internal sealed class DemoLoadShape
{
    /// <summary>The day the demo replays: the week's busiest (two matches, a surge to ~8x the night trough).</summary>
    public static readonly DateOnly Day = new(1998, 6, 25);

    /// <summary>The trace excerpt shipped in the repository, looked for above the program's directory.</summary>
    public const string TraceFile = "traces/worldcup98-week-1998-06-22.csv";

    // Requests per minute of 1998-06-25, hour by hour (hourly means of the trace): the fallback when no trace file is found.
    private static readonly double[] HourlyProfile =
    [
        20883, 18886, 16735, 15938, 14261, 15439, 17806, 18195, 16961, 14451, 16054, 19092,
        23918, 31351, 85958, 118830, 76206, 40975, 34123, 60173, 76160, 43939, 26002, 21793,
    ];

    private readonly double[] _rates;

    private DemoLoadShape(double[] rates, TimeSpan bucket, string source)
    {
        _rates = rates;
        Bucket = bucket;
        Source = source;
    }

    /// <summary>The length of one bucket (the control interval).</summary>
    public TimeSpan Bucket { get; }

    /// <summary>Where the shape came from, for the output.</summary>
    public string Source { get; }

    /// <summary>The target rate per bucket, requests per second.</summary>
    public IReadOnlyList<double> Rates => _rates;

    /// <summary>The demo's duration.</summary>
    public TimeSpan Duration => Bucket * _rates.Length;

    /// <summary>The highest bucket rate.</summary>
    public double Peak => _rates.Max();

    /// <summary>The shape from <paramref name="tracePath"/> (or the shipped excerpt, or the built-in hourly profile).</summary>
    public static DemoLoadShape Create(string? tracePath, TimeSpan duration, TimeSpan bucket, double peak)
    {
        var buckets = Math.Max(4, (int)Math.Round(duration / bucket));
        var path = tracePath ?? FindShippedTrace();
        double[] minutes;
        string source;
        if (path is null)
        {
            minutes = [.. HourlyProfile.SelectMany(h => Enumerable.Repeat(h, 60))];
            source = $"WorldCup98 {Day:yyyy-MM-dd}, hourly profile (built in)";
        }
        else
        {
            LoadTrace trace;
            try
            {
                trace = TraceReader.Read(path);
            }
            catch (Exception e) when (e is TraceFormatException or IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read the trace {path}: {e.Message}");
            }
            minutes = PickDay(trace);
            source = $"WorldCup98 {Day:yyyy-MM-dd} from {Path.GetFileName(path)}";
        }

        var rates = new double[buckets];
        for (var i = 0; i < buckets; i++)
        {
            var from = (int)((long)i * minutes.Length / buckets);
            var to = Math.Max(from + 1, (int)((long)(i + 1) * minutes.Length / buckets));
            var sum = 0.0;
            for (var m = from; m < to; m++)
            {
                sum += minutes[m];
            }
            rates[i] = sum / (to - from);
        }
        var max = rates.Max();
        for (var i = 0; i < buckets; i++)
        {
            rates[i] = max > 0 ? rates[i] / max * peak : peak;
        }
        return new DemoLoadShape(rates, bucket, source);
    }

    /// <summary>The rate at <paramref name="elapsed"/>, linear between bucket centres.</summary>
    public double RateAt(TimeSpan elapsed)
    {
        var position = (elapsed / Bucket) - 0.5;
        if (position <= 0)
        {
            return _rates[0];
        }
        var index = (int)position;
        if (index >= _rates.Length - 1)
        {
            return _rates[^1];
        }
        var fraction = position - index;
        return _rates[index] + ((_rates[index + 1] - _rates[index]) * fraction);
    }

    private static double[] PickDay(LoadTrace trace)
    {
        var perDay = (int)Math.Round(TimeSpan.FromDays(1) / trace.Interval);
        var offset = 0;
        if (trace.Start is { } start)
        {
            var dayStart = new DateTimeOffset(Day.ToDateTime(TimeOnly.MinValue), start.Offset);
            offset = (int)Math.Round((dayStart - start) / trace.Interval);
        }
        if (offset < 0 || offset + perDay > trace.Counts.Count)
        {
            // The trace does not hold that day: take its first day instead.
            offset = 0;
        }
        var length = Math.Min(perDay, trace.Counts.Count - offset);
        return [.. trace.Counts.Skip(offset).Take(length)];
    }

    private static string? FindShippedTrace()
    {
        foreach (var root in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(root); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, TraceFile);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        const string shared = "/work/shared/traces/worldcup98-per-minute.csv";
        return File.Exists(shared) ? shared : null;
    }
}
