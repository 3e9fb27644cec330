using System.Text.Json;
using Shoal.Autoscaling.Simulation;

namespace Shoal.Autoscaling.Tests.Simulation;

public sealed class SimulationRunnerTests
{
    [Fact]
    public void SingleRun_Json_HasTheReportKeysAndTheTimeline()
    {
        var (code, output, error) = Run(new SimulationRequest { Synthetic = "sawtooth", Policy = "hpa", HpaTarget = 0.6, Json = true });

        Assert.Equal(0, code);
        Assert.Empty(error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        foreach (var key in new[] { "overloaded_minutes", "unserved_requests", "replica_minutes", "scale_events" })
        {
            Assert.Equal(JsonValueKind.Number, root.GetProperty(key).ValueKind);
        }

        Assert.Equal("hpa-60%", root.GetProperty("policy").GetString());
        Assert.Equal(0.6, root.GetProperty("target").GetDouble());
        Assert.Equal(2 * 1440, root.GetProperty("timeline").GetArrayLength());
    }

    [Fact]
    public void Compare_Json_HasBothFrontiersTheCostPointsAndTheRatios()
    {
        var (code, output, _) = Run(new SimulationRequest { Synthetic = "hourly-cron", Seed = 2, Compare = true, Json = true });

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("shoal").TryGetProperty("replica_minutes", out _));
        var hpa = root.GetProperty("hpa");
        Assert.Equal(11, hpa.GetArrayLength());
        Assert.All(hpa.EnumerateArray(), r => Assert.InRange(r.GetProperty("target").GetDouble(), 0.4, 0.9));
        Assert.Equal(JsonValueKind.Number, root.GetProperty("ratio").ValueKind);

        // Shoal's sweep: reports with the same fields plus the knob, spanning HPA-40%'s cost down to HPA-90%'s.
        var sweep = root.GetProperty("shoal_sweep").EnumerateArray().ToArray();
        Assert.True(sweep.Length >= 10, $"{sweep.Length} runs in the sweep");
        foreach (var run in sweep)
        {
            foreach (var key in new[] { "knob", "overloaded_minutes", "unserved_requests", "replica_minutes", "scale_events" })
            {
                Assert.Equal(JsonValueKind.Number, run.GetProperty(key).ValueKind);
            }
        }

        var hpaCosts = hpa.EnumerateArray().Select(r => r.GetProperty("replica_minutes").GetDouble()).ToArray();
        var costs = sweep.Select(r => r.GetProperty("replica_minutes").GetDouble()).ToArray();
        Assert.True(costs.Min() <= hpaCosts.Min() && costs.Max() >= hpaCosts.Max(), "the sweep does not span HPA's costs");
        Assert.True(root.GetProperty("sweep_spans_hpa").GetBoolean());
        Assert.Equal(13, root.GetProperty("seasonal_naive").GetArrayLength());
        Assert.Equal(4, root.GetProperty("cost_points").GetArrayLength());

        // The hourly bursts are forecast: far fewer late requests than HPA's at its own costs.
        Assert.InRange(root.GetProperty("frontier_ratio").GetDouble(), 0, 0.5);
        Assert.InRange(root.GetProperty("flapping_ratio").GetDouble(), 0, 1.5);
        Assert.True(root.GetProperty("goal_met").GetBoolean());
    }

    [Fact]
    public void Compare_Text_PrintsBothFrontiersAndTheRatios()
    {
        var (code, output, _) = Run(new SimulationRequest { Synthetic = "sawtooth", Compare = true });

        Assert.Equal(0, code);
        Assert.Contains("hpa-40%", output, StringComparison.Ordinal);
        Assert.Contains("hpa-90%", output, StringComparison.Ordinal);
        Assert.Contains("shoal (default)", output, StringComparison.Ordinal);
        Assert.Contains("seasonal-naive-70%", output, StringComparison.Ordinal);
        Assert.Contains("frontier ratio (Shoal / HPA late requests, summed at the four costs):", output, StringComparison.Ordinal);
        Assert.Contains("flapping ratio", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_PlainOneValuePerLineFile_Works()
    {
        var path = Path.Combine(Path.GetTempPath(), $"shoal-trace-{Guid.NewGuid():N}.csv");
        // Two days of one rate per line (requests per second), one line a minute.
        File.WriteAllLines(path, Enumerable.Range(0, 2 * 1440).Select(m => (700 + (500 * Math.Sin(2 * Math.PI * m / 1440))).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)));
        try
        {
            var (code, output, error) = Run(new SimulationRequest { TracePath = path, Compare = true, Capacity = 100 });

            Assert.True(code == 0, error);
            Assert.Contains("values read as requests per second, one value per 1m (no timestamps)", output, StringComparison.Ordinal);
            Assert.Contains("capacity 100.0 req/s per replica", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(null, null, "60s", "shoal", "give --trace")]
    [InlineData("/no/such/trace.csv", null, "60s", "shoal", "not found")]
    [InlineData(null, "square", "60s", "shoal", "unknown synthetic")]
    [InlineData(null, "diurnal", "sixty", "shoal", "bad --startup")]
    [InlineData(null, "diurnal", "60s", "vpa", "unknown policy")]
    public void BadInput_ExitsWithTwoAndOneLineOnStderr(string? trace, string? synthetic, string startup, string policy, string message)
    {
        var (code, output, error) = Run(new SimulationRequest { TracePath = trace, Synthetic = synthetic, Startup = startup, Policy = policy });

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadTraceLine_NamesTheFileAndTheLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"shoal-trace-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "period,count\n0,10\n60,ten\n");
        try
        {
            var (code, _, error) = Run(new SimulationRequest { TracePath = path });

            Assert.Equal(2, code);
            Assert.Contains("line 3:", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("60s", 60)]
    [InlineData("2m", 120)]
    [InlineData("1500ms", 1.5)]
    [InlineData("45", 45)]
    [InlineData("1h", 3600)]
    public void Durations_AreParsed(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5s")]
    [InlineData("5x")]
    [InlineData("s")]
    public void BadDurations_AreRejected(string text)
    {
        Assert.False(DurationText.TryParse(text, out _));
    }

    private static (int Code, string Output, string Error) Run(SimulationRequest request)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = SimulationRunner.Run(request, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
