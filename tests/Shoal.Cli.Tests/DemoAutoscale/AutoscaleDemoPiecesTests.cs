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
    public void Comparison_RecordedStepLoad_RunsShoalAndHpaOnIt()
    {
        var settings = new AutoscaleDemoSettings { Duration = TimeSpan.FromSeconds(60), Capacity = 100, MaxReplicas = 8 };
        var timeline = Enumerable.Range(1, 60)
            .Select(i => new DemoTimelinePoint { T = i, Load = i < 30 ? 50 : 350, Replicas = i < 30 ? 1 : 5, Ready = i < 32 ? 1 : 5 })
            .ToArray();

        var outcomes = DemoComparison.Run(timeline, settings, TimeSpan.FromSeconds(3));

        Assert.Equal(["demo (measured)", "shoal (simulated)", "hpa-70% (simulated)"], outcomes.Select(o => o.Policy));
        Assert.Equal(2, outcomes[0].OverloadedIntervals);
        Assert.All(outcomes, o => Assert.True(o.ReplicaMinutes > 0));
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
            Timeline = [.. Enumerable.Range(1, 10).Select(i => new DemoTimelinePoint { T = i, Load = i * 30, Forecast = i * 35, Replicas = 1 + (i / 3), Ready = 1 + (i / 3) })],
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
        var html = DemoHtmlChart.Render(report);
        Assert.Contains("<polyline", html, StringComparison.Ordinal);
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
