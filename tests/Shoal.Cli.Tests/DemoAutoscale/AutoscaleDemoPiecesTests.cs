using System.Text.Json;
using Shoal.Cli.Commands;
using Shoal.Cli.Commands.Demo;
using Shoal.Cli.Hosting;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.DemoAutoscale;

public sealed class AutoscaleDemoPiecesTests
{
    [Fact]
    public void LoadShape_WorldCupDay_PeaksAtTheTargetAndRisesToTheAfternoonMatch()
    {
        var shape = DemoLoadShape.Create(null, TimeSpan.FromSeconds(48), TimeSpan.FromSeconds(1), 450);

        Assert.Equal(48, shape.Rates.Count);
        Assert.Equal(450, shape.Peak, 6);
        var peakIndex = shape.Rates.ToList().IndexOf(shape.Peak);
        // 1998-06-25: the surge is the 15:00 match, i.e. about 15/24 of the way through the day.
        Assert.InRange(peakIndex, 26, 34);
        Assert.True(shape.Rates[0] < shape.Peak / 3, "the night is much quieter than the match");
    }

    [Fact]
    public void LoadShape_RateAt_InterpolatesBetweenBucketCentres()
    {
        var shape = DemoLoadShape.Create(null, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(1), 100);

        var between = shape.RateAt(TimeSpan.FromSeconds(15));
        Assert.InRange(between, Math.Min(shape.Rates[14], shape.Rates[15]) - 1e-9, Math.Max(shape.Rates[14], shape.Rates[15]) + 1e-9);
        Assert.Equal(shape.Rates[0], shape.RateAt(TimeSpan.Zero));
        Assert.Equal(shape.Rates[^1], shape.RateAt(TimeSpan.FromSeconds(100)));
    }

    [Fact]
    public void LoadShape_BadTraceFile_IsAUsageError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-trace-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "not,a\ntrace,at all\n");
        try
        {
            Assert.Throws<UsageException>(() => DemoLoadShape.Create(path, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1), 100));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CapacityLimiter_ServiceTime_IsSlotsOverCapacity()
    {
        using var limiter = new CapacityLimiter(100);

        Assert.Equal(TimeSpan.FromSeconds(CapacityLimiter.Slots / 100.0), limiter.ServiceTime);
    }

    [Fact]
    public void Comparison_RecordedStepLoad_RunsShoalAndTheHpaAtTheSameCost()
    {
        var settings = new AutoscaleDemoSettings { Duration = TimeSpan.FromSeconds(60), Capacity = 100, MaxReplicas = 8 };
        var timeline = Enumerable.Range(1, 60)
            .Select(i => new DemoTimelinePoint { T = i, Load = i < 30 ? 50 : 350, Replicas = i < 30 ? 1 : 5, Ready = i < 32 ? 1 : 5 })
            .ToArray();

        var outcomes = DemoComparison.Run(timeline, settings, TimeSpan.FromSeconds(3));

        Assert.Equal(["demo (measured)", "shoal (simulated)"], outcomes.Take(2).Select(o => o.Policy));
        Assert.Equal(2, outcomes[0].OverloadedIntervals);
        Assert.All(outcomes, o => Assert.True(o.ReplicaMinutes > 0));
        // The HPA is read off its sweep (40%..100%) at the simulated Shoal's cost; when Shoal is cheaper than every
        // target's HPA, the cheapest HPA stands in and the row says so (it then costs more than Shoal, never less).
        Assert.Matches(@"^hpa-(\d+)% \(simulated, (equal|nearest) cost\)$", outcomes[2].Policy);
        var equal = System.Text.RegularExpressions.Regex.Match(outcomes[2].Policy, @"(equal|nearest) cost").Groups[1].Value == "equal";
        Assert.True(equal
            ? Math.Abs(outcomes[1].ReplicaMinutes - outcomes[2].ReplicaMinutes) < 0.05
            : outcomes[2].ReplicaMinutes > outcomes[1].ReplicaMinutes,
            $"{outcomes[1].ReplicaMinutes} vs {outcomes[2].Policy} {outcomes[2].ReplicaMinutes}");
        Assert.True(outcomes[2].OverloadedIntervals > 0, "HPA reacts after the step: some intervals are overloaded");
    }

    [Fact]
    public void Report_TextJsonAndHtml_CarryTheFigures()
    {
        var report = new AutoscaleDemoReport
        {
            Calls = 1234,
            Failed = 0,
            P99Ms = 80,
            ScaleOuts = 2,
            ScaleIns = 1,
            CapacityPerInstance = 100,
            IntervalSeconds = 1,
            // The first two intervals had no load report yet: no signal, no forecast.
            Timeline = [.. Enumerable.Range(1, 10).Select(i => new DemoTimelinePoint
            {
                T = i,
                Load = i * 30,
                Signal = i > 2 ? i * 30 : null,
                Forecast = i > 2 ? i * 35 : null,
                Upper = i > 2 ? i * 40 : null,
                Replicas = 1 + (i / 3),
                Ready = 1 + (i / 3),
                P99Ms = 40 + i,
            })],
            Events = [new DemoEvent { T = 3, Kind = "scale-out", From = 1, To = 2, Load = 90, Forecast = 140 }, new DemoEvent { T = 5, Kind = "sigkill" }],
            Comparison = [new DemoPolicyOutcome { Policy = "hpa-70% (simulated)", ReplicaMinutes = 1.5, OverloadedIntervals = 3 }],
        };

        var text = report.ToText();
        Assert.Contains("FAILED CALLS:  0", text, StringComparison.Ordinal);
        Assert.Contains("Forecast-led:", text, StringComparison.Ordinal);
        Assert.Contains("hpa-70% (simulated)", text, StringComparison.Ordinal);
        Assert.Contains("*", report.Chart(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, DemoJsonContext.Default.AutoscaleDemoReport));
        Assert.Equal(10, json.RootElement.GetProperty("timeline").GetArrayLength());
        Assert.Equal(300, json.RootElement.GetProperty("timeline")[9].GetProperty("load").GetDouble());
        Assert.Equal(400, json.RootElement.GetProperty("timeline")[9].GetProperty("upper").GetDouble());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("timeline")[0].GetProperty("forecast").ValueKind);
        var html = DemoHtmlChart.Render(report);
        Assert.Contains("<polyline", html, StringComparison.Ordinal);
        // The forecast band, three labelled panels (load, replicas, latency) over a labelled time axis.
        Assert.Contains("<polygon", html, StringComparison.Ordinal);
        foreach (var label in new[] { "calls per second", "replicas", "p99 latency (ms)", "time since the load started (s)" })
        {
            Assert.Contains(label, html, StringComparison.Ordinal);
        }
        Assert.Contains("SIGKILL", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo", "--capacity", "0")]
    [InlineData("demo", "--duration", "1s")]
    [InlineData("demo", "--max-replicas", "1")]
    [InlineData("serve", "--capacity", "-5")]
    public async Task BadDemoFlags_ExitTwo(params string[] args)
    {
        var (exitCode, output, error) = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith("shoal: ", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }
}
