using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shoal.Cli.Commands;
using Shoal.Cli.Commands.Bench;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands.Bench;

/// <summary><c>shoal bench --instances N</c>: N servers of its own behind one cluster channel per connection, all stopped after.</summary>
public sealed class BenchInstancesTests
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(240);

    [Fact]
    public void CountIn_EstablishedLinesOnTheGivenPorts_CountsThemAlone()
    {
        // Local ports 0x1F90 (8080) and 0x1F91 (8081); state 01 is ESTABLISHED, 0A is LISTEN, 06 TIME_WAIT.
        const string table = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
               1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1
               2: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1
               3: 0100007F:1F91 0100007F:C351 01 00000000:00000000 00:00000000 00000000     0        0 4 1 0 20 4 30 10 -1
               4: 0100007F:1F91 0100007F:C352 06 00000000:00000000 00:00000000 00000000     0        0 5 1 0 20 4 30 10 -1
            """;

        Assert.Equal(2, LoopbackConnections.CountIn(table, new HashSet<int> { 8080, 8081 }));
        Assert.Equal(1, LoopbackConnections.CountIn(table, new HashSet<int> { 8081 }));
        Assert.Equal(0, LoopbackConnections.CountIn(table, new HashSet<int> { 50000 + 1 }));
    }

    [Fact]
    public async Task ThreeInstances_ShortRun_LoadsEveryInstanceThroughTheClusterChannel_ThenStopsThem()
    {
        var result = await CliProcess.RunAsync(Run, null,
            "bench", "--instances", "3", "-c", "4", "--connections", "2", "-d", "1s", "--warmup", "1s", "--warmup-extend", "0s", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        Assert.Equal(3, document.RootElement.GetProperty("settings").GetProperty("instances").GetInt32());
        var runs = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["shoal-cluster-1", "shoal-cluster-3"], runs.Select(r => r.GetProperty("name").GetString()));
        Assert.All(runs, r =>
        {
            Assert.Equal(0, r.GetProperty("errors").GetInt64());
            Assert.True(r.GetProperty("rps").GetDouble() > 0);
            Assert.True(r.GetProperty("server_cpu_pct").GetDouble() >= 0);
            Assert.Contains("lb=round_robin", r.GetProperty("target").GetString(), StringComparison.Ordinal);
        });
        Assert.Single(runs[0].GetProperty("target").GetString()!.Split(','));
        Assert.Equal(3, runs[1].GetProperty("target").GetString()!.Split(',').Length);
        Assert.True(runs[1].GetProperty("rps_vs_direct").GetDouble() > 0);
        var one = runs[0].GetProperty("footprint");
        var three = runs[1].GetProperty("footprint");
        Assert.Equal((2, 1), (one.GetProperty("connections").GetInt32(), one.GetProperty("servers").GetInt32()));
        Assert.Equal((6, 3), (three.GetProperty("connections").GetInt32(), three.GetProperty("servers").GetInt32()));
        // Three processes' RSS and threads summed: each holds its runtime, so more than one alone.
        Assert.True(three.GetProperty("server_idle").GetProperty("rss_kib").GetInt64() > 2 * one.GetProperty("server_idle").GetProperty("rss_kib").GetInt64());
        // The three-instance run's client baseline is the sample before any connection (the one-instance run's), and
        // the per-added-connection figure compares its idle client with the one-instance run's.
        Assert.Equal(one.GetProperty("client_before").GetRawText(), three.GetProperty("client_before").GetRawText());
        Assert.Equal(one.GetProperty("client_idle").GetRawText(), three.GetProperty("client_idle_one_instance").GetRawText());
        Assert.Equal(2, three.GetProperty("connections_one_instance").GetInt32());
        var added = (three.GetProperty("client_idle").GetProperty("rss_kib").GetInt64() - one.GetProperty("client_idle").GetProperty("rss_kib").GetInt64()) / 4.0;
        Assert.Equal(Math.Round(added, 1), three.GetProperty("client_kib_per_added_connection_idle").GetDouble());
        Assert.Equal(JsonValueKind.Null, one.GetProperty("client_kib_per_added_connection_idle").ValueKind);
        Assert.True(three.GetProperty("server_rss_kib_per_process_idle").GetDouble() > 0);
        Assert.True(three.GetProperty("server_threads_per_process_idle").GetDouble() >= 1);
        Assert.DoesNotContain("connections were established", result.Error, StringComparison.Ordinal);
        AssertAllGone(StartedPids(result.Error, 3));
    }

    [Fact]
    public void DefaultWarmup_GrowsBySecondPerInstance()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), BenchSettings.DefaultWarmupFor(null));
        Assert.Equal(TimeSpan.FromSeconds(11), BenchSettings.DefaultWarmupFor(1));
        Assert.Equal(TimeSpan.FromSeconds(60), BenchSettings.DefaultWarmupFor(50));
    }

    [Fact]
    public async Task OneInstance_NoWarmupGiven_WarmsUpElevenSeconds()
    {
        var result = await CliProcess.RunAsync(Run, null, "bench", "--instances", "1", "-c", "2", "-d", "200ms", "--warmup-extend", "0s", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        Assert.Equal(11.0, document.RootElement.GetProperty("settings").GetProperty("warmup_s").GetDouble());
        Assert.All(document.RootElement.GetProperty("results").EnumerateArray(), r => Assert.Equal(11.0, r.GetProperty("warmup_s").GetDouble()));
    }

    [Fact]
    public async Task Instances_ExplicitWarmup_Wins()
    {
        var result = await CliProcess.RunAsync(Run, null, "bench", "--instances", "2", "-c", "2", "-d", "200ms", "--warmup", "1s", "--warmup-extend", "0s", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        Assert.Equal(1.0, document.RootElement.GetProperty("settings").GetProperty("warmup_s").GetDouble());
        Assert.All(document.RootElement.GetProperty("results").EnumerateArray(), r => Assert.Equal(1.0, r.GetProperty("warmup_s").GetDouble()));
    }

    [Fact]
    public async Task ThreeInstances_Sigterm_StopsEveryServerAndExits130()
    {
        using var bench = CliProcess.Start("bench", "--instances", "3", "--warmup", "60s", "--duration", "1s");
        var pids = await PollAsync(() => StartedPidsOrNull(bench.Error), TimeSpan.FromSeconds(120));
        await PollAsync(() => bench.Error.Contains("warming up", StringComparison.Ordinal) ? "" : null, TimeSpan.FromSeconds(120));

        bench.Terminate();

        Assert.Equal(ExitCodes.Interrupted, await bench.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        AssertAllGone(pids);
    }

    [Theory]
    [InlineData("bench", "--instances", "0")]
    [InlineData("bench", "--instances", "201")]
    [InlineData("bench", "--instances", "2", "--compare")]
    [InlineData("bench", "--instances", "2", "--target", "shoal://127.0.0.1:1")]
    public async Task BadInstancesArguments_ExitTwo_WithAnErrorLine(params string[] args)
    {
        var (exitCode, output, error) = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith("shoal: ", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    private static int[]? StartedPidsOrNull(string error)
    {
        var match = Regex.Match(error, @"started (\d+) Shoal servers \(pids ([\d ]+)\)");
        return match.Success ? match.Groups[2].Value.Split(' ').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray() : null;
    }

    private static int[] StartedPids(string error, int expected)
    {
        var pids = StartedPidsOrNull(error) ?? throw new Xunit.Sdk.XunitException("bench printed no pids: " + error);
        Assert.Equal(expected, pids.Length);
        return pids;
    }

    private static void AssertAllGone(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            var stat = $"/proc/{pid}/stat";
            Assert.False(File.Exists(stat) && !File.ReadAllText(stat).Contains(") Z ", StringComparison.Ordinal), $"the server process {pid} outlived bench");
        }
    }

    private static async Task<T> PollAsync<T>(Func<T?> read, TimeSpan timeout) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (read() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout}.");
            }
            await Task.Delay(50);
        }
    }
}
