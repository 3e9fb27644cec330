using System.Globalization;

namespace Shoal.Autoscaling.Simulation;

/// <summary>
/// Reads a request trace from a CSV-like text file: <c>timestamp,value</c> per interval, or one value per line.
/// </summary>
/// <remarks>
/// <para>
/// Fields are separated by commas, semicolons, tabs or spaces (whichever the first row uses); quotes around a
/// field are dropped. One header line is allowed (e.g. <c>period,count</c> or <c>time,rate</c>); blank lines and
/// lines starting with <c>#</c> are skipped. With two or more fields the first is the timestamp and the second the
/// value; further fields are ignored.
/// </para>
/// <para>
/// A timestamp is a date and time (ISO 8601 or <c>yyyy-MM-dd HH:mm:ss</c>, UTC unless it says otherwise) or a
/// number: seconds, or Unix milliseconds when it is above 10^11 (no trace runs to the year 5000). The interval
/// is the most common gap between consecutive timestamps; missing intervals are filled by linear interpolation.
/// Without timestamps the interval is <see cref="Read(string, TraceValueKind, TimeSpan?)"/>'s, one minute by default.
/// </para>
/// <para>
/// A value is a count per interval or a rate per second (<see cref="TraceValueKind"/>). A line that cannot be read,
/// a negative value or a timestamp that does not move forward is an error that names the line.
/// </para>
/// </remarks>
public static class TraceReader
{
    /// <summary>The interval of a trace without timestamps, unless given.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    private static readonly string[] RateWords = ["rate", "rps", "qps", "per_s", "per s", "/s", "persec", "per-s", "throughput"];
    private static readonly string[] CountWords = ["count", "requests", "hits", "calls", "total", "number"];

    /// <summary>Reads a trace file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="values">What the values are; <see cref="TraceValueKind.Auto"/> decides from the header.</param>
    /// <param name="interval">The interval of a trace without timestamps; null for one minute.</param>
    /// <returns>The trace, named after the file.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TraceFormatException">The content is not a trace.</exception>
    public static LoadTrace Read(string path, TraceValueKind values = TraceValueKind.Auto, TimeSpan? interval = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"trace file not found: {path}", path);
        }

        using var reader = new StreamReader(path);
        return Parse(reader, Path.GetFileNameWithoutExtension(path), values, interval);
    }

    /// <summary>Parses a trace from text.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="name">The trace's name.</param>
    /// <param name="values">What the values are; <see cref="TraceValueKind.Auto"/> decides from the header.</param>
    /// <param name="interval">The interval of a trace without timestamps; null for one minute.</param>
    /// <returns>The trace.</returns>
    /// <exception cref="TraceFormatException">The content is not a trace.</exception>
    public static LoadTrace Parse(TextReader reader, string name, TraceValueKind values = TraceValueKind.Auto, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (interval is { } given && given <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "The interval must be positive.");
        }

        var rows = new List<(string[] Fields, int Line)>();
        string? header = null;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.Trim().TrimStart('\uFEFF');
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var fields = Split(text, SeparatorOf(text));
            if (rows.Count == 0 && header is null && !IsNumber(fields[Math.Min(1, fields.Length - 1)]))
            {
                header = text;
                continue;
            }

            rows.Add((fields, lineNumber));
        }

        if (rows.Count == 0)
        {
            throw new TraceFormatException(0, "the file has no data rows (expected 'timestamp,value' or one value per line)");
        }

        var timestamped = rows[0].Fields.Length >= 2;
        var kind = values != TraceValueKind.Auto ? values : KindFromHeader(header) ?? (timestamped ? TraceValueKind.Count : TraceValueKind.Rate);
        return timestamped
            ? WithTimestamps(name, rows, kind)
            : WithoutTimestamps(name, rows, kind, interval ?? DefaultInterval);
    }

    private static LoadTrace WithoutTimestamps(string name, List<(string[] Fields, int Line)> rows, TraceValueKind kind, TimeSpan interval)
    {
        var counts = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var (fields, line) = rows[i];
            if (fields.Length != 1)
            {
                throw new TraceFormatException(line, $"expected one value like the rows before it, got {fields.Length} fields");
            }

            counts[i] = ToCount(Value(fields[0], line), kind, interval.TotalSeconds);
        }

        return new LoadTrace(name, interval, counts) { Source = Describe(kind, interval, timestamps: false) };
    }

    private static LoadTrace WithTimestamps(string name, List<(string[] Fields, int Line)> rows, TraceValueKind kind)
    {
        var parsed = new List<(double Seconds, double Value, int Line)>(rows.Count);
        bool? dates = null;
        foreach (var (fields, line) in rows)
        {
            if (fields.Length < 2)
            {
                throw new TraceFormatException(line, $"expected 'timestamp,value', got '{Shorten(string.Join(' ', fields))}'");
            }

            var value = Value(fields[1], line);
            var (seconds, isDate) = ParseTimestamp(fields[0], line);
            if (dates is { } expected && expected != isDate)
            {
                throw new TraceFormatException(line, "timestamps mix dates and numbers");
            }

            dates = isDate;
            if (parsed.Count > 0 && seconds <= parsed[^1].Seconds)
            {
                throw new TraceFormatException(line, "timestamp is not after the previous one");
            }

            parsed.Add((seconds, value, line));
        }

        if (parsed.Count < 2)
        {
            throw new TraceFormatException(0, "a trace needs at least two data rows to tell its interval");
        }

        return Build(name, parsed, dates == true, kind);
    }

    private static LoadTrace Build(string name, List<(double Seconds, double Value, int Line)> rows, bool dates, TraceValueKind kind)
    {
        var interval = rows.Zip(rows.Skip(1), (a, b) => Math.Round(b.Seconds - a.Seconds, 3))
            .GroupBy(gap => gap)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key)
            .First().Key;
        if (interval <= 0)
        {
            throw new TraceFormatException(0, "timestamps are less than a millisecond apart");
        }

        var first = rows[0].Seconds;
        var lastSlot = (long)Math.Round((rows[^1].Seconds - first) / interval);
        if (lastSlot > 10_000_000)
        {
            throw new TraceFormatException(0, "the trace spans more than ten million intervals");
        }

        var counts = new double[lastSlot + 1];
        var known = new bool[lastSlot + 1];
        foreach (var (seconds, value, line) in rows)
        {
            var slot = (long)Math.Round((seconds - first) / interval);
            if (known[slot])
            {
                throw new TraceFormatException(line, $"timestamp falls in the same {interval} s interval as the previous row");
            }

            counts[slot] = ToCount(value, kind, interval);
            known[slot] = true;
        }

        var filled = FillGaps(counts, known);
        var start = dates ? DateTimeOffset.UnixEpoch.AddSeconds(first) : (DateTimeOffset?)null;
        return new LoadTrace(name, TimeSpan.FromSeconds(interval), counts, start, filled) { Source = Describe(kind, TimeSpan.FromSeconds(interval), timestamps: true) };
    }

    private static TraceValueKind? KindFromHeader(string? header)
    {
        if (header is null)
        {
            return null;
        }

        var fields = Split(header.ToLowerInvariant(), SeparatorOf(header));
        var column = fields[Math.Min(1, fields.Length - 1)];
        return RateWords.Any(w => column.Contains(w, StringComparison.Ordinal)) ? TraceValueKind.Rate
            : CountWords.Any(w => column.Contains(w, StringComparison.Ordinal)) ? TraceValueKind.Count
            : null;
    }

    private static double ToCount(double value, TraceValueKind kind, double intervalSeconds) =>
        kind == TraceValueKind.Rate ? value * intervalSeconds : value;

    private static string Describe(TraceValueKind kind, TimeSpan interval, bool timestamps) =>
        string.Create(CultureInfo.InvariantCulture, $"{(kind == TraceValueKind.Rate ? "requests per second" : "requests per interval")}, one value per {DurationText.Format(interval)}{(timestamps ? string.Empty : " (no timestamps)")}");

    private static int FillGaps(double[] counts, bool[] known)
    {
        var filled = 0;
        var previous = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (!known[i])
            {
                continue;
            }

            for (var j = previous + 1; j < i; j++)
            {
                counts[j] = counts[previous] + ((counts[i] - counts[previous]) * (j - previous) / (i - previous));
                filled++;
            }

            previous = i;
        }

        return filled;
    }

    private static double Value(string text, int line)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new TraceFormatException(line, $"value '{Shorten(text)}' is not a number");
        }

        if (!double.IsFinite(value) || value < 0)
        {
            throw new TraceFormatException(line, $"value {text} must be a finite non-negative number");
        }

        return value;
    }

    private static (double Seconds, bool IsDate) ParseTimestamp(string text, int line)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            return (seconds >= 1e11 ? seconds / 1000 : seconds, false);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return ((at - DateTimeOffset.UnixEpoch).TotalSeconds, true);
        }

        throw new TraceFormatException(line, $"timestamp '{Shorten(text)}' is neither a date nor a number of seconds");
    }

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static char SeparatorOf(string text) =>
        text.Contains(',', StringComparison.Ordinal) ? ','
        : text.Contains(';', StringComparison.Ordinal) ? ';'
        : text.Contains('\t', StringComparison.Ordinal) ? '\t'
        : ' ';

    private static string[] Split(string text, char separator)
    {
        var parts = separator == ' '
            ? text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            : text.Split(separator);
        parts = [.. parts.Select(p => p.Trim().Trim('"', '\'').Trim())];
        if (separator == ' ' && parts.Length >= 3 && !IsNumber(parts[0])
            && DateTimeOffset.TryParse(parts[0] + " " + parts[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            // "1998-04-30 21:30:00 42": the date and the time are one field.
            return [parts[0] + " " + parts[1], .. parts[2..]];
        }

        return parts;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
