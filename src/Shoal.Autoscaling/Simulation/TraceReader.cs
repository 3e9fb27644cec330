using System.Globalization;

namespace Shoal.Autoscaling.Simulation;

/// <summary>
/// Reads a request-count trace from CSV: <c>timestamp,count</c> per interval.
/// </summary>
/// <remarks>
/// One header line is allowed (e.g. <c>period,count</c>); blank lines and lines starting with <c>#</c>
/// are skipped. A timestamp is a date and time (ISO 8601 or <c>yyyy-MM-dd HH:mm:ss</c>, UTC unless it
/// says otherwise) or a number of seconds. The interval is the most common gap between consecutive
/// timestamps; missing intervals are filled by linear interpolation between their neighbours. A line
/// that cannot be read, a negative count or a timestamp that does not move forward is an error that
/// names the line.
/// </remarks>
public static class TraceReader
{
    /// <summary>Reads a trace file.</summary>
    /// <param name="path">The CSV file.</param>
    /// <returns>The trace, named after the file.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TraceFormatException">The content is not a trace.</exception>
    public static LoadTrace Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"trace file not found: {path}", path);
        }

        using var reader = new StreamReader(path);
        return Parse(reader, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Parses a trace from text.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="name">The trace's name.</param>
    /// <returns>The trace.</returns>
    /// <exception cref="TraceFormatException">The content is not a trace.</exception>
    public static LoadTrace Parse(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<(double Seconds, double Count, int Line)>();
        bool? dates = null;
        var lineNumber = 0;
        var sawData = false;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var fields = text.Split(',');
            if (fields.Length < 2)
            {
                throw new TraceFormatException(lineNumber, $"expected 'timestamp,count', got '{Shorten(text)}'");
            }

            var countText = fields[1].Trim();
            if (!double.TryParse(countText, NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
            {
                if (!sawData && rows.Count == 0)
                {
                    sawData = true;
                    continue;
                }

                throw new TraceFormatException(lineNumber, $"count '{Shorten(countText)}' is not a number");
            }

            sawData = true;
            if (!double.IsFinite(count) || count < 0)
            {
                throw new TraceFormatException(lineNumber, $"count {countText} must be a finite non-negative number");
            }

            var (seconds, isDate) = ParseTimestamp(fields[0].Trim(), lineNumber);
            if (dates is { } expected && expected != isDate)
            {
                throw new TraceFormatException(lineNumber, "timestamps mix dates and numbers");
            }

            dates = isDate;
            if (rows.Count > 0 && seconds <= rows[^1].Seconds)
            {
                throw new TraceFormatException(lineNumber, "timestamp is not after the previous one");
            }

            rows.Add((seconds, count, lineNumber));
        }

        if (rows.Count < 2)
        {
            throw new TraceFormatException(0, "a trace needs at least two data rows to tell its interval");
        }

        return Build(name, rows, dates == true);
    }

    private static LoadTrace Build(string name, List<(double Seconds, double Count, int Line)> rows, bool dates)
    {
        var interval = rows.Zip(rows.Skip(1), (a, b) => Math.Round(b.Seconds - a.Seconds, 3))
            .GroupBy(gap => gap)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key)
            .First().Key;
        var first = rows[0].Seconds;
        var lastSlot = (long)Math.Round((rows[^1].Seconds - first) / interval);
        if (lastSlot > 10_000_000)
        {
            throw new TraceFormatException(0, "the trace spans more than ten million intervals");
        }

        var counts = new double[lastSlot + 1];
        var known = new bool[lastSlot + 1];
        foreach (var (seconds, count, line) in rows)
        {
            var slot = (long)Math.Round((seconds - first) / interval);
            if (known[slot])
            {
                throw new TraceFormatException(line, $"timestamp falls in the same {interval} s interval as the previous row");
            }

            counts[slot] = count;
            known[slot] = true;
        }

        var filled = FillGaps(counts, known);
        var start = dates ? DateTimeOffset.UnixEpoch.AddSeconds(first) : (DateTimeOffset?)null;
        return new LoadTrace(name, TimeSpan.FromSeconds(interval), counts, start, filled);
    }

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

    private static (double Seconds, bool IsDate) ParseTimestamp(string text, int line)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            return (seconds, false);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return ((at - DateTimeOffset.UnixEpoch).TotalSeconds, true);
        }

        throw new TraceFormatException(line, $"timestamp '{Shorten(text)}' is neither a date nor a number of seconds");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
