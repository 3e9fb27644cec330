using System.CommandLine.Parsing;
using System.Globalization;

namespace Shoal.Cli.Commands;

/// <summary>Durations on the command line: <c>10s</c>, <c>500ms</c>, <c>2m</c>, <c>1.5</c> (seconds).</summary>
internal static class DurationParser
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a duration.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = text.Trim().ToLowerInvariant();
        var (number, scale) = s switch
        {
            _ when s.EndsWith("ms", StringComparison.Ordinal) => (s[..^2], 0.001),
            _ when s.EndsWith('s') => (s[..^1], 1.0),
            _ when s.EndsWith('m') => (s[..^1], 60.0),
            _ when s.EndsWith('h') => (s[..^1], 3600.0),
            _ => (s, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || double.IsNaN(amount) || amount * scale > TimeSpan.FromDays(1).TotalSeconds)
        {
            return false;
        }
        value = TimeSpan.FromSeconds(amount * scale);
        return true;
    }

    /// <summary>The <c>CustomParser</c> for an <c>Option&lt;TimeSpan&gt;</c>.</summary>
    public static TimeSpan Parse(ArgumentResult result)
    {
        var token = result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;
        if (TryParse(token, out var value))
        {
            return value;
        }
        result.AddError($"'{token}' is not a duration; use for example 10s, 500ms, 2m or 1.5 (seconds).");
        return default;
    }

    /// <summary>A short form for messages: <c>10s</c>, <c>250ms</c>.</summary>
    public static string Format(TimeSpan value) => value.TotalSeconds >= 1
        ? value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
        : value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}
