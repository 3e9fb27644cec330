using System.Globalization;

namespace Shoal.Benchmarks.Registry;

/// <summary>Latencies by change kind, printed as count, p50, p99 and max.</summary>
internal sealed class LatencyRecorder
{
    private readonly Dictionary<string, List<double>> _byKind = new(StringComparer.Ordinal);

    public void Add(string kind, TimeSpan latency)
    {
        if (!_byKind.TryGetValue(kind, out var list))
        {
            _byKind[kind] = list = [];
        }
        list.Add(latency.TotalMilliseconds);
    }

    public double Max => _byKind.Values.SelectMany(l => l).DefaultIfEmpty(0).Max();

    public void Print(TextWriter output, string label)
    {
        foreach (var (kind, list) in _byKind.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine(Row(label, kind, list));
        }
        output.WriteLine(Row(label, "all", [.. _byKind.Values.SelectMany(l => l)]));
    }

    private static string Row(string label, string kind, List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"{label,-28} {kind,-11} count {sorted.Length,4}  p50 {Percentile(sorted, 0.50),8:F1} ms  p99 {Percentile(sorted, 0.99),8:F1} ms  max {(sorted.Length == 0 ? 0 : sorted[^1]),8:F1} ms");
    }

    private static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }
        // Nearest rank: the smallest sample with at least p of the samples at or below it.
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
