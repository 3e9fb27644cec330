using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Bench;

/// <summary>Everything one <c>shoal bench</c> prints: the runs, the settings and the machine.</summary>
internal sealed record BenchReport
{
    /// <summary>One entry per run.</summary>
    [JsonPropertyName("results")] public required IReadOnlyList<BenchResult> Results { get; init; }

    /// <summary>The load: callers, connections, durations.</summary>
    [JsonPropertyName("settings")] public required BenchReportSettings Settings { get; init; }

    /// <summary>Where it ran.</summary>
    [JsonPropertyName("machine")] public required BenchMachine Machine { get; init; }

    /// <summary>Adds each run's ratios to the <c>grpc-dotnet</c> run, when there is one, and the cluster run's to the direct one.</summary>
    public static IReadOnlyList<BenchResult> WithRatios(IReadOnlyList<BenchResult> results)
    {
        var direct = results.FirstOrDefault(r => r.Name == BenchCommand.ShoalTcpRun);
        if (direct is { Rps: > 0 })
        {
            results = results.Select(r => r.Name == BenchCommand.ShoalClusterRun ? r with { RpsVsDirect = Math.Round(r.Rps / direct.Rps, 3) } : r).ToList();
        }
        var peer = results.FirstOrDefault(r => r.Name == BenchCommand.GrpcDotnetRun);
        if (peer is null || results.Count < 2)
        {
            return results;
        }
        static double? Ratio(double value, double baseline) => baseline > 0 ? Math.Round(value / baseline, 3) : null;
        return results.Select(r => r with
        {
            RpsRatio = Ratio(r.Rps, peer.Rps),
            P99Ratio = Ratio(r.P99Us, peer.P99Us),
            P50Ratio = Ratio(r.P50Us, peer.P50Us),
        }).ToList();
    }

    /// <summary>A text table for people.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"shoal bench: hello.Greeter/SayHello, {Settings.Concurrency} callers over {Settings.Connections} connection(s), ")
            .Append(CultureInfo.InvariantCulture, $"{Settings.DurationSeconds:0.##}s measured after a {Settings.WarmupSeconds:0.##}s warm-up (+{Settings.WarmupExtendSeconds:0.##}s at most while throughput rises; {Settings.Build} build, {Machine.Cores} cores)")
            .AppendLine().AppendLine();
        var hasRatio = Results.Any(r => r.RpsRatio is not null);
        var header = new List<string> { "run", "req/s", "p50", "p90", "p99", "p99.9", "errors", "client cpu", "server cpu", "client B/call" };
        if (hasRatio)
        {
            header.AddRange(["rps vs grpc-dotnet", "p50 vs grpc-dotnet", "p99 vs grpc-dotnet"]);
        }
        var rows = new List<List<string>> { header };
        foreach (var r in Results)
        {
            var row = new List<string>
            {
                r.Name, r.Rps.ToString("N0", CultureInfo.InvariantCulture), Latency(r.P50Us), Latency(r.P90Us), Latency(r.P99Us), Latency(r.P999Us),
                r.Errors.ToString(CultureInfo.InvariantCulture), Percent(r.ClientCpuPercent), Percent(r.ServerCpuPercent),
                r.ClientBytesPerCall is { } bytes ? bytes.ToString("N0", CultureInfo.InvariantCulture) : "-",
            };
            if (hasRatio)
            {
                row.Add(Ratio(r.RpsRatio));
                row.Add(Ratio(r.P50Ratio));
                row.Add(Ratio(r.P99Ratio));
            }
            rows.Add(row);
        }
        var widths = Enumerable.Range(0, header.Count).Select(c => rows.Max(row => row[c].Length)).ToArray();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }
        foreach (var r in Results.Where(r => r.RpsVsDirect is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Name} vs {BenchCommand.ShoalTcpRun} (same server, cluster layer on top): {Ratio(r.RpsVsDirect)} throughput");
        }
        foreach (var r in Results.Where(r => r.FirstError is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Name}: first error: {r.FirstError}");
        }
        foreach (var r in Results.Where(r => r.WarmupTooShort))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Name}: throughput was still rising at the end of the warm-up; figures understated (use a longer --warmup).");
        }
        return text.ToString();
    }

    private static string Latency(double microseconds) => microseconds >= 1000
        ? (microseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " ms"
        : microseconds.ToString("0", CultureInfo.InvariantCulture) + " us";

    private static string Ratio(double? value) => value is { } v ? v.ToString("0.00x", CultureInfo.InvariantCulture) : "-";

    private static string Percent(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) + "%" : "-";
}
