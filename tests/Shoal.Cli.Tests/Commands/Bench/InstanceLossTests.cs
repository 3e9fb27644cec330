using System.Diagnostics;
using System.Text.Json;
using Shoal.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shoal.Cli.Tests.Commands.Bench;

/// <summary>
/// "Kill an instance, lose no call", from the command line: <c>shoal registry</c>, three
/// <c>shoal serve</c> registered with it, and <c>shoal bench --target registry://…</c> (16 callers,
/// failover, 2 s warm-up, 8 s measured); one instance is stopped 3 s into the measured window, and
/// the verdict is the error count of <c>shoal bench --json</c>. SayHello's contract says nothing about
/// idempotency, so without <c>--idempotent</c> only calls the server never started may be sent again.
/// </summary>
public sealed class InstanceLossTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan IntoMeasuring = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Sigterm_OneOfThreeUnderLoad_NotIdempotent_NoCallFails()
    {
        var run = await RunAsync(idempotent: false, victim => victim.Terminate());

        Assert.True(run.Errors == 0, $"{run.Errors} calls failed, the first with: {run.FirstError}");
        Assert.True(run.VictimExited, "the terminated instance did not exit during the run");
    }

    [Fact]
    public async Task Sigkill_OneOfThreeUnderLoad_Idempotent_NoCallFails()
    {
        var run = await RunAsync(idempotent: true, victim => victim.KillNow());

        Assert.True(run.Errors == 0, $"{run.Errors} calls failed, the first with: {run.FirstError}");
    }

    /// <summary>
    /// The control: the same kill without <c>--idempotent</c>. The calls in flight on the killed
    /// instance may have run, so they fail rather than run twice; with 16 callers over three
    /// instances about five are in flight there at any moment.
    /// </summary>
    [Fact]
    public async Task Sigkill_OneOfThreeUnderLoad_NotIdempotent_TheCallsInFlightThereFail()
    {
        var run = await RunAsync(idempotent: false, victim => victim.KillNow());

        Assert.True(run.Errors > 0, "no call failed, so the kill cannot have hit calls in flight: the scenario proves nothing");
        Assert.Contains("Unavailable", run.FirstError, StringComparison.Ordinal);
    }

    private sealed record Run(long Requests, long Errors, string? FirstError, bool VictimExited);

    private async Task<Run> RunAsync(bool idempotent, Action<CliProcess> stop)
    {
        await using var cluster = await ProcessCluster.StartAsync(servers: 3);
        string[] args =
        [
            "bench", "--target", cluster.Target, "--strategy", "failover", "--concurrency", "16",
            "--warmup", $"{Warmup.TotalSeconds}s", "--warmup-extend", "0", "--duration", $"{Measured.TotalSeconds}s", "--json",
            .. idempotent ? new[] { "--idempotent" } : [],
        ];
        using var bench = CliProcess.Start(args);
        await WaitForAsync(() => bench.Error.Contains("warming up", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => bench.Error);
        await Task.Delay(Warmup + IntoMeasuring);

        var victim = cluster.Servers[0].Process;
        var stoppedAt = Stopwatch.GetTimestamp();
        stop(victim);
        var exitCode = await bench.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var victimExited = victim.HasExited;

        Assert.True(exitCode == 0, $"bench exited with {exitCode}: {bench.Error}");
        using var document = JsonDocument.Parse(bench.Output);
        var result = Assert.Single(document.RootElement.GetProperty("results").EnumerateArray());
        var run = new Run(
            result.GetProperty("requests").GetInt64(),
            result.GetProperty("errors").GetInt64(),
            result.TryGetProperty("first_error", out var first) ? first.GetString() : null,
            victimExited);
        output.WriteLine($"idempotent={idempotent}: {run.Requests} calls, {run.Errors} errors, first error: {run.FirstError ?? "none"}; "
            + $"bench ended {Stopwatch.GetElapsedTime(stoppedAt).TotalSeconds:0.0} s after the stop");
        Assert.True(run.Requests > 1000, $"too few calls to tell ({run.Requests}): {bench.Error}");
        return run;
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Not seen within {timeout.TotalSeconds:0} s: {describe()}");
            }
            await Task.Delay(50);
        }
    }
}
