using System.Text.Json;
using Shoal.Autoscaling.Simulation;

namespace Shoal.Autoscaling.Tests.Simulation;

public sealed class SimulationRunnerTests
{
    [Fact]
    public void SingleRun_Json_HasTheReportKeysAndTheTimeline()
    {
        var (code, output, error) = Run(new SimulationRequest { Synthetic = "ramp", Policy = "hpa", HpaTarget = 0.6, Json = true });

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
    public void Compare_Json_IsOneDocumentWithShoalHpaAndRatio()
    {
        var (code, output, _) = Run(new SimulationRequest { Synthetic = "sawtooth", Compare = true, Json = true });

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("shoal").TryGetProperty("replica_minutes", out _));
        var hpa = root.GetProperty("hpa");
        Assert.Equal(11, hpa.GetArrayLength());
        Assert.All(hpa.EnumerateArray(), r => Assert.InRange(r.GetProperty("target").GetDouble(), 0.4, 0.9));
        Assert.True(root.GetProperty("ratio").GetDouble() <= 0.5);
    }

    [Fact]
    public void Compare_Text_PrintsTheTableAndTheRatio()
    {
        var (code, output, _) = Run(new SimulationRequest { Synthetic = "ramp", Compare = true });

        Assert.Equal(0, code);
        Assert.Contains("hpa-40%", output, StringComparison.Ordinal);
        Assert.Contains("hpa-90%", output, StringComparison.Ordinal);
        Assert.Contains("ratio (Shoal / HPA overloaded minutes at equal cost):", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "60s", "shoal", "give --trace")]
    [InlineData("/no/such/trace.csv", null, "60s", "shoal", "not found")]
    [InlineData(null, "square", "60s", "shoal", "unknown synthetic")]
    [InlineData(null, "ramp", "sixty", "shoal", "bad --startup")]
    [InlineData(null, "ramp", "60s", "vpa", "unknown policy")]
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
