using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Shoal.Cli.Commands.Bench.Scenarios;

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

    /// <summary>
    /// Adds each run's ratios to the <c>grpc-dotnet</c> run, when there is one, the cluster, telemetry
    /// and TLS runs' to the direct one, every run's MB/s to the socket copy's and every run's
    /// throughput to the socket echo's when there is one.
    /// </summary>
    public static IReadOnlyList<BenchResult> WithRatios(IReadOnlyList<BenchResult> results)
    {
        var copy = results.FirstOrDefault(r => r.Name == SocketCopy.RunName);
        if (copy is { MbPerSecond: > 0 })
        {
            results = results.Select(r => r.MbPerSecond is { } mb ? r with { MbVsSocketCopy = Math.Round(mb / copy.MbPerSecond.Value, 3) } : r).ToList();
        }
        var echo = results.FirstOrDefault(r => r.Name == SocketEcho.RunName);
        if (echo is { Rps: > 0 })
        {
            results = results.Select(r => r with { RpsVsSocketEcho = Math.Round(r.Rps / echo.Rps, 3) }).ToList();
        }
        var direct = results.FirstOrDefault(r => r.Name == BenchCommand.ShoalTcpRun);
        if (direct is { Rps: > 0 })
        {
            results = results.Select(r => r.Name is BenchCommand.ShoalClusterRun or BenchCommand.ShoalTelemetryRun or BenchCommand.ShoalTlsRun ? r with { RpsVsDirect = Math.Round(r.Rps / direct.Rps, 3) } : r).ToList();
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
            // A run without latencies (a one-way stream, the socket copy) has no latency ratio.
            P99Ratio = r.HasLatency ? Ratio(r.P99Us, peer.P99Us) : null,
            P50Ratio = r.HasLatency ? Ratio(r.P50Us, peer.P50Us) : null,
        }).ToList();
    }

    /// <summary>A text table for people.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var scenario = BenchScenario.All.FirstOrDefault(s => s.Name == Settings.Scenario) ?? BenchScenario.Unary;
        text.Append(CultureInfo.InvariantCulture, $"shoal bench: {scenario.Describe(Settings.PayloadBytes)}, {Settings.Concurrency} callers over {Settings.Connections} connection(s), ")
            .Append(CultureInfo.InvariantCulture, $"{Settings.DurationSeconds:0.##}s measured after a {Settings.WarmupSeconds:0.##}s warm-up (+{Settings.WarmupExtendSeconds:0.##}s at most while throughput rises; {Settings.Build} build, {Machine.Cores} cores)")
            .AppendLine().AppendLine();
        var hasRatio = Results.Any(r => r.RpsRatio is not null);
        var hasMessages = Results.Any(r => r.MsgsPerSecond is not null);
        var hasBytes = Results.Any(r => r.MbPerSecond is not null);
        var header = new List<string> { "run", scenario == BenchScenario.Unary ? "req/s" : "ops/s" };
        if (hasMessages)
        {
            header.Add("msgs/s");
        }
        if (hasBytes)
        {
            header.Add("MB/s");
        }
        header.AddRange(["p50", "p90", "p99", "p99.9", "errors", "client cpu", "server cpu", scenario == BenchScenario.Unary ? "client B/call" : "client B/op"]);
        if (hasRatio)
        {
            header.AddRange([scenario == BenchScenario.Unary ? "rps vs grpc-dotnet" : "ops/s vs grpc-dotnet", "p50 vs grpc-dotnet", "p99 vs grpc-dotnet"]);
        }
        var rows = new List<List<string>> { header };
        foreach (var r in Results)
        {
            var row = new List<string> { r.Name, r.Rps.ToString("N0", CultureInfo.InvariantCulture) };
            if (hasMessages)
            {
                row.Add(r.MsgsPerSecond is { } msgs ? msgs.ToString("N0", CultureInfo.InvariantCulture) : "-");
            }
            if (hasBytes)
            {
                row.Add(r.MbPerSecond is { } mb ? mb.ToString("N1", CultureInfo.InvariantCulture) : "-");
            }
            var timed = r.HasLatency;
            row.AddRange(
            [
                Latency(r.P50Us, timed), Latency(r.P90Us, timed), Latency(r.P99Us, timed), Latency(r.P999Us, timed),
                r.Errors.ToString(CultureInfo.InvariantCulture), Percent(r.ClientCpuPercent), Percent(r.ServerCpuPercent),
                r.ClientBytesPerCall is { } bytes ? bytes.ToString("N0", CultureInfo.InvariantCulture) : "-",
            ]);
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
            var what = r.Name switch
            {
                BenchCommand.ShoalTelemetryRun => "OpenTelemetry SDK attached on both ends vs no listener",
                BenchCommand.ShoalTlsRun => "native over TLS vs plaintext",
                _ => "same server, cluster layer on top",
            };
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Name} vs {BenchCommand.ShoalTcpRun} ({what}): {Ratio(r.RpsVsDirect)} throughput");
        }
        foreach (var r in Results.Where(r => r.MbVsSocketCopy is not null && r.Name != SocketCopy.RunName))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Name} vs {SocketCopy.RunName} (the same bytes over plain loopback TCP): {Ratio(r.MbVsSocketCopy)} MB/s");
        }
        foreach (var r in Results.Where(r => r.RpsVsSocketEcho is not null && r.Name != SocketEcho.RunName))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Name} vs {SocketEcho.RunName} (the same bytes per call over plain loopback TCP): {Ratio(r.RpsVsSocketEcho)} throughput");
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

    private static string Latency(double microseconds, bool timed) => !timed ? "-" : microseconds >= 1000
        ? (microseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " ms"
        : microseconds.ToString("0", CultureInfo.InvariantCulture) + " us";

    private static string Ratio(double? value) => value is { } v ? v.ToString("0.00x", CultureInfo.InvariantCulture) : "-";

    private static string Percent(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) + "%" : "-";
}
