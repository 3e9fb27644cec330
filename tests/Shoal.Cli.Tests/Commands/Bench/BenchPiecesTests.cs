using Shoal.Cli.Commands;
using Shoal.Cli.Commands.Bench;

namespace Shoal.Cli.Tests.Commands.Bench;

public sealed class BenchPiecesTests
{
    [Fact]
    public void ProcStatLine_WithSpacesInTheName_GivesUserPlusSystemTime()
    {
        const string stat = "4242 (shoal (a b)) S 1 4242 4242 0 -1 4194304 1000 0 0 0 250 125 0 0 20 0 12 0 100 0 0";

        Assert.Equal(TimeSpan.FromSeconds(3.75), CpuMeter.ParseStat(stat));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 (x) S 1 2")]
    [InlineData("no parenthesis")]
    public void MalformedProcStat_GivesNull(string stat)
    {
        Assert.Null(CpuMeter.ParseStat(stat));
    }

    [Fact]
    public void CpuPercent_IsCpuTimeOverWallTime()
    {
        Assert.Equal(150.0, CpuMeter.Percent(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(2)));
        Assert.Null(CpuMeter.Percent(null, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("0", 0)]
    public void Durations_Parse(string text, int milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("-1s")]
    [InlineData("5d")]
    [InlineData("100h")]
    public void BadDurations_DoNotParse(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _));
    }

    [Fact]
    public void Ratios_AreRelativeToTheGrpcDotnetRun()
    {
        BenchResult Result(string name, double rps, double p99) => new() { Name = name, Target = "t", Rps = rps, P99Us = p99, P50Us = p99 / 2 };

        var results = BenchReport.WithRatios([Result("shoal-tcp", 300_000, 500), Result("grpc-dotnet", 60_000, 2000)]);

        Assert.Equal(5.0, results[0].RpsRatio);
        Assert.Equal(0.25, results[0].P99Ratio);
        Assert.Equal(1.0, results[1].RpsRatio);
    }

    [Theory]
    [InlineData(new[] { 100.0, 500.0, 900.0, 1000.0 }, new[] { 1000.0, 1010.0, 990.0 }, false)]
    [InlineData(new[] { 100.0, 300.0, 500.0, 600.0 }, new[] { 1000.0, 1010.0, 990.0 }, true)]
    [InlineData(new[] { 100.0, 850.0, 1000.0 }, new[] { 1000.0, 1200.0, 990.0, 50.0 }, false)]
    [InlineData(new[] { 100.0 }, new[] { 1000.0, 1000.0 }, false)]
    [InlineData(new[] { 100.0, 200.0 }, new[] { 1000.0 }, false)]
    public void WarmupTooShort_WhenTheLastWarmupSecondsAreWellBelowTheMeasuredMedian(double[] warmup, double[] measured, bool expected)
    {
        Assert.Equal(expected, BenchRunner.WarmupLooksTooShort(warmup, measured));
    }

    [Theory]
    [InlineData(new[] { 100.0, 120.0, 300.0, 400.0 }, true)]
    [InlineData(new[] { 100.0, 100.0, 105.0, 104.0 }, false)]
    [InlineData(new[] { 400.0, 300.0, 200.0, 100.0 }, false)]
    [InlineData(new[] { 100.0, 300.0, 400.0 }, false)]
    [InlineData(new double[0], false)]
    public void StillRising_WhenTheLastTwoSecondsBeatTheTwoBeforeByTenPercent(double[] samples, bool expected)
    {
        Assert.Equal(expected, BenchRunner.StillRising(samples));
    }

    [Fact]
    public void SingleRun_HasNoRatios()
    {
        var results = BenchReport.WithRatios([new BenchResult { Name = "grpc-dotnet", Target = "t", Rps = 1 }]);

        Assert.Null(results[0].RpsRatio);
    }

    [Fact]
    public void TextReport_ListsEveryRunWithItsRatio()
    {
        var report = new BenchReport
        {
            Results = BenchReport.WithRatios(
            [
                new BenchResult { Name = "shoal-tcp", Target = "shoal://h:1", Rps = 120_000, P50Us = 400, P99Us = 900 },
                new BenchResult { Name = "grpc-dotnet", Target = "http://h:2", Rps = 60_000, P50Us = 800, P99Us = 1800, FirstError = "Unavailable: x" },
            ]),
            Settings = new BenchReportSettings { Concurrency = 64, Connections = 1, DurationSeconds = 10, WarmupSeconds = 10 },
            Machine = new BenchMachine(),
        };

        var text = report.ToText();

        Assert.Contains("64 callers over 1 connection(s)", text, StringComparison.Ordinal);
        Assert.Matches(@"shoal-tcp\s+120,000\s+400 us\s+0 us\s+900 us", text);
        Assert.Contains("2.00x", text, StringComparison.Ordinal);
        Assert.Contains("grpc-dotnet: first error: Unavailable: x", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TextReport_TlsRun_PrintsItsRatioToPlaintextShoalTcp()
    {
        var report = new BenchReport
        {
            Results = BenchReport.WithRatios(
            [
                new BenchResult { Name = BenchCommand.ShoalTcpRun, Target = "shoal://h:1", Rps = 100_000, P50Us = 400, P99Us = 900 },
                new BenchResult { Name = BenchCommand.ShoalTlsRun, Target = "shoal://h:2", Rps = 60_000, P50Us = 600, P99Us = 1500 },
            ]),
            Settings = new BenchReportSettings { Concurrency = 64, Connections = 1, DurationSeconds = 10, WarmupSeconds = 10 },
            Machine = new BenchMachine(),
        };

        var text = report.ToText();

        Assert.Equal(0.6, report.Results[1].RpsVsDirect);
        Assert.Contains("shoal-tcp-tls vs shoal-tcp (native over TLS vs plaintext): 0.60x throughput", text, StringComparison.Ordinal);
    }
}
