using System.Globalization;
using System.Text;

namespace Shoal.FunctionalTests.Support;

/// <summary>Figures over a set of calls, and a one-paragraph summary for assertion messages.</summary>
public static class CallStats
{
    /// <summary>The failed calls.</summary>
    public static List<CallRecord> Failures(this IEnumerable<CallRecord> calls) => [.. calls.Where(c => c.Failure is not null)];

    /// <summary>The <paramref name="percentile"/> (0–100) latency of the successful calls.</summary>
    public static TimeSpan Percentile(this IReadOnlyCollection<CallRecord> calls, double percentile)
    {
        var sorted = calls.Where(c => c.Failure is null).Select(c => c.Latency).Order().ToArray();
        if (sorted.Length == 0)
        {
            return TimeSpan.Zero;
        }
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    /// <summary>The share (0–1) of successful calls answered by <paramref name="instanceId"/>.</summary>
    public static double ShareOf(this IReadOnlyCollection<CallRecord> calls, string instanceId)
    {
        var ok = calls.Count(c => c.Failure is null);
        return ok == 0 ? 0 : (double)calls.Count(c => c.Instance == instanceId) / ok;
    }

    /// <summary>Calls per instance, failures, p50/p99, and the first few failures.</summary>
    public static string Describe(this IReadOnlyCollection<CallRecord> calls)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{calls.Count} calls, {calls.Failures().Count} failed, p50 {calls.Percentile(50).TotalMilliseconds:0.0} ms, p99 {calls.Percentile(99).TotalMilliseconds:0.0} ms; per instance:");
        foreach (var group in calls.Where(c => c.Failure is null).GroupBy(c => c.Instance ?? "?").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $" {group.Key}={group.Count()}");
        }
        foreach (var failure in calls.Failures().Take(5))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  failed{(failure.NeverStarted ? " (never started)" : "")}: {failure.Failure}: {failure.Detail}");
        }
        return text.ToString();
    }
}
