using System.Diagnostics;
using System.Globalization;

namespace Shoal.Cli.Commands.Bench;

/// <summary>CPU time of this process (<see cref="Process.TotalProcessorTime"/>) and of another one (<c>/proc/&lt;pid&gt;/stat</c>).</summary>
internal static class CpuMeter
{
    // USER_HZ: the unit of utime and stime in /proc/<pid>/stat; 100 on every Linux architecture .NET runs on.
    private const double ClockTicksPerSecond = 100;

    /// <summary>This process's user plus system CPU time.</summary>
    public static TimeSpan Self()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Another process's user plus system CPU time from /proc; null where /proc is not there or the process is gone.</summary>
    public static TimeSpan? OfProcess(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        return ParseStat(stat);
    }

    /// <summary>The CPU time of every process in <paramref name="pids"/>, summed; null when there are none or one is gone.</summary>
    public static TimeSpan? OfProcesses(IReadOnlyList<int> pids)
    {
        var total = TimeSpan.Zero;
        foreach (var pid in pids)
        {
            if (OfProcess(pid) is not { } time)
            {
                return null;
            }
            total += time;
        }
        return pids.Count > 0 ? total : null;
    }

    /// <summary>utime + stime from one /proc/&lt;pid&gt;/stat line (fields 14 and 15; the command name in parentheses may hold spaces).</summary>
    internal static TimeSpan? ParseStat(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so utime (14) is fields[11] and stime (15) is fields[12].
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
        {
            return null;
        }
        return TimeSpan.FromSeconds((user + system) / ClockTicksPerSecond);
    }

    /// <summary>CPU time over wall time, in percent of one core.</summary>
    public static double? Percent(TimeSpan? start, TimeSpan? end, TimeSpan wall) =>
        start is { } s && end is { } e && wall > TimeSpan.Zero ? Math.Round((e - s) / wall * 100, 1) : null;
}
