using System.Text.Json;
using Shoal.Cli.Commands.Demo;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.DemoAutoscale;

/// <summary>
/// The shortened demo as a real process: the registry (members only, with a token), the autoscaler
/// starting and draining instance processes, the WorldCup load, the SIGKILL — and not one failed call.
/// </summary>
public sealed class AutoscaleDemoEndToEndTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task ShortDemo_MembersOnlyRegistryWorldCupDayWithSigkill_NoFailedCallsScalesOutAheadAndInAfterAndLeavesNoProcess()
    {
        var html = Path.Combine(Path.GetTempPath(), $"shoal-demo-test-{Guid.NewGuid():N}.html");
        var token = Path.Combine(Path.GetTempPath(), $"shoal-demo-test-{Guid.NewGuid():N}.token");
        try
        {
            await File.WriteAllTextAsync(token, "demo-end-to-end-token-31d7\n");
            // With the token every instance (shoal serve), the client and the autoscaler must send it:
            // one that did not would fail to register, find no instance or read no load.
            var (exitCode, output, error) = await CliProcess.RunAsync(Limit, null, "demo", "--duration", "48s", "--json", "--html", html, "--registry-token-file", token);

            Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
            var report = JsonSerializer.Deserialize(output, DemoJsonContext.Default.AutoscaleDemoReport);
            Assert.NotNull(report);
            using var document = JsonDocument.Parse(output);
            foreach (var name in new[] { "calls", "failed", "p99_ms", "scale_outs", "scale_ins", "timeline" })
            {
                Assert.True(document.RootElement.TryGetProperty(name, out _), $"no '{name}' in {output}");
            }

            Assert.Equal(0, report.Failed);
            Assert.True(report.Calls > 1000, $"only {report.Calls} calls");
            Assert.True(report.Timeline.Count >= 40, $"{report.Timeline.Count} timeline points");

            // The load rises to its peak; a scale-out the forecast led (forecast above the load at the
            // time) comes before the peak, and a scale-in (a drain) after it. The peak is the shape's:
            // the counted load of a starved client bursts as it catches up (after the SIGKILL, say).
            var peak = report.Timeline.MaxBy(p => p.Target)!;
            Assert.True(report.Timeline.Max(p => p.Load) > 0.5 * peak.Target, "the client offered the load it was given");
            Assert.Contains(report.Events, e => e.Kind == "scale-out" && e.Forecast > e.Load && e.T < peak.T);
            Assert.Contains(report.Events, e => e.Kind == "scale-in" && e.T > peak.T);
            Assert.True(report.ScaleOuts >= 1 && report.ScaleIns >= 1);

            // The SIGKILL happened and the actuator restarted the instance.
            Assert.NotEqual(0, report.KilledPid);
            Assert.Contains(report.Events, e => e.Kind == "restarted");

            // Every process the demo started is gone.
            Assert.True(report.Processes.Count >= 3, $"{report.Processes.Count} processes");
            Assert.Empty(report.ProcessesLeft);
            Assert.All(report.Processes, pid => Assert.False(AutoscaleDemoRunner.IsAlive(pid), $"instance process {pid} outlived the demo"));

            // The comparison ran HPA on the same recorded load, and the chart was written.
            Assert.Contains(report.Comparison, o => o.Policy.StartsWith("hpa", StringComparison.Ordinal));
            Assert.Contains("<svg", await File.ReadAllTextAsync(html), StringComparison.Ordinal);
            Assert.Contains("Each Greeter instance is a separate process limited to 100 calls/s", error, StringComparison.Ordinal);
            Assert.Contains($"members only: every process sends the token in {token}", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(html);
            File.Delete(token);
        }
    }
}
