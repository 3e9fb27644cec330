using System.Globalization;
using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>A process's resident memory and thread count at one moment, from <c>/proc/&lt;pid&gt;/status</c>.</summary>
/// <param name="RssKiB">Resident set size (VmRSS), KiB.</param>
/// <param name="Threads">Threads.</param>
internal sealed record ProcessFootprint(
    [property: JsonPropertyName("rss_kib")] long RssKiB,
    [property: JsonPropertyName("threads")] int Threads)
{
    /// <summary>This process, after a full garbage collection so that garbage does not count as footprint.</summary>
    public static ProcessFootprint? Self()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Of(Environment.ProcessId);
    }

    /// <summary>The process <paramref name="pid"/>; null where /proc is not there or the process is gone.</summary>
    public static ProcessFootprint? Of(int pid)
    {
        string status;
        try
        {
            status = File.ReadAllText($"/proc/{pid}/status");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return Parse(status);
    }

    /// <summary>The processes <paramref name="pids"/> together (RSS and threads summed); null when there are none or one is gone.</summary>
    public static ProcessFootprint? OfAll(IReadOnlyList<int> pids)
    {
        long rss = 0;
        var threads = 0;
        foreach (var pid in pids)
        {
            if (Of(pid) is not { } one)
            {
                return null;
            }
            rss += one.RssKiB;
            threads += one.Threads;
        }
        return pids.Count > 0 ? new ProcessFootprint(rss, threads) : null;
    }

    /// <summary>VmRSS and Threads from the text of a /proc/&lt;pid&gt;/status file; null when either is missing.</summary>
    internal static ProcessFootprint? Parse(string status)
    {
        long? rss = null;
        int? threads = null;
        foreach (var line in status.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            var value = line[(colon + 1)..].Trim();
            switch (line[..colon])
            {
                case "VmRSS" when long.TryParse(value.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib):
                    rss = kib;
                    break;
                case "Threads" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count):
                    threads = count;
                    break;
            }
        }
        return rss is { } r && threads is { } t ? new ProcessFootprint(r, t) : null;
    }
}
