using System.Globalization;

namespace Shoal.Autoscaling.Simulation;

/// <summary>Parses durations written as "60s", "2m", "1h", "1500ms" or a plain number of seconds.</summary>
public static class DurationText
{
    /// <summary>Parses a duration.</summary>
    /// <param name="text">The text.</param>
    /// <param name="duration">The duration when the text is valid and non-negative.</param>
    /// <returns>Whether the text is a valid duration.</returns>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim().ToLowerInvariant();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        var factor = 1.0;
        foreach (var (suffix, seconds) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length];
                factor = seconds;
                break;
            }
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0 || value * factor > TimeSpan.FromDays(365).TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * factor);
        return true;
    }

    /// <summary>Formats a duration the way <see cref="TryParse"/> reads it: "1m", "15s", "1500ms".</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan duration) =>
        duration.TotalHours >= 1 && duration.TotalHours % 1 == 0 ? FormattableString.Invariant($"{duration.TotalHours:0}h")
        : duration.TotalMinutes >= 1 && duration.TotalMinutes % 1 == 0 ? FormattableString.Invariant($"{duration.TotalMinutes:0}m")
        : duration.TotalSeconds % 1 == 0 ? FormattableString.Invariant($"{duration.TotalSeconds:0}s")
        : FormattableString.Invariant($"{duration.TotalMilliseconds:0.###}ms");
}
