using Shoal.Autoscaling.Simulation;

namespace Shoal.Autoscaling.Tests.Simulation;

public sealed class TraceReaderTests
{
    [Fact]
    public void DatedRowsWithHeader_AreReadWithTheirInterval()
    {
        var trace = Parse("period,count\n1998-04-30 21:30:00,2\n1998-04-30 21:31:00,11\n1998-04-30 21:32:00,16\n");

        Assert.Equal(TimeSpan.FromMinutes(1), trace.Interval);
        Assert.Equal([2.0, 11, 16], trace.Counts);
        Assert.Equal(new DateTimeOffset(1998, 4, 30, 21, 30, 0, TimeSpan.Zero), trace.Start);
    }

    [Fact]
    public void MissingRows_AreFilledByInterpolation()
    {
        var trace = Parse("timestamp,count\n0,100\n300,200\n1200,500\n1500,600\n");

        Assert.Equal(TimeSpan.FromMinutes(5), trace.Interval);
        Assert.Equal([100.0, 200, 300, 400, 500, 600], trace.Counts);
        Assert.Equal(2, trace.FilledIntervals);
    }

    [Fact]
    public void BlankAndCommentLines_AreSkipped()
    {
        var trace = Parse("# a comment\n\n0,1\n\n60,2\n");

        Assert.Equal([1.0, 2], trace.Counts);
    }

    [Theory]
    [InlineData("period,count\n0,1\n60,x\n", 3, "not a number")]
    [InlineData("0,1\n60,-4\n", 2, "non-negative")]
    [InlineData("0,1\n60,2\n30,3\n", 3, "not after")]
    [InlineData("0,1\njunk\n", 2, "expected 'timestamp,value'")]
    [InlineData("0,1\nyesterday,2\n", 2, "neither a date")]
    [InlineData("period,count\n0,1\nperiod,count\n", 3, "not a number")]
    public void BadLine_IsReportedWithItsLineNumber(string csv, int line, string message)
    {
        var error = Assert.Throws<TraceFormatException>(() => Parse(csv));

        Assert.Equal(line, error.Line);
        Assert.StartsWith($"line {line}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneRow_IsNotEnoughToTellTheInterval()
    {
        var error = Assert.Throws<TraceFormatException>(() => Parse("period,count\n0,1\n"));

        Assert.Contains("at least two", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => TraceReader.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".csv")));
    }

    [Fact]
    public void TheShippedWorldCupExcerpt_IsAWeekPerMinute()
    {
        var trace = TraceReader.Read(RepositoryFile("traces", "worldcup98-week-1998-06-22.csv"));

        Assert.Equal(TimeSpan.FromMinutes(1), trace.Interval);
        Assert.Equal(7 * 1440, trace.Counts.Count);
        Assert.Equal(0, trace.FilledIntervals);
    }

    [Fact]
    public void OneValuePerLine_IsARatePerSecondOneMinuteApart()
    {
        var trace = Parse("120\n150.5\n90\n");

        Assert.Equal(TimeSpan.FromMinutes(1), trace.Interval);
        Assert.Equal([7200.0, 9030, 5400], trace.Counts);
        Assert.Null(trace.Start);
        Assert.Contains("requests per second", trace.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void OneValuePerLine_TakesTheGivenIntervalAndKind()
    {
        var trace = TraceReader.Parse(new StringReader("rps\n10\n20\n"), "t", TraceValueKind.Auto, TimeSpan.FromSeconds(15));
        var counts = TraceReader.Parse(new StringReader("10\n20\n"), "t", TraceValueKind.Count, TimeSpan.FromSeconds(15));

        Assert.Equal([150.0, 300], trace.Counts);
        Assert.Equal([10.0, 20], counts.Counts);
        Assert.Equal(TimeSpan.FromSeconds(15), counts.Interval);
    }

    [Theory]
    [InlineData("time,rate\n0,10\n60,20\n")]
    [InlineData("timestamp,requests_per_second\n0,10\n60,20\n")]
    [InlineData("ts;qps\n0;10\n60;20\n")]
    [InlineData("\"time\"\t\"rps\"\n0\t10\n60\t20\n")]
    public void RateHeaders_MakeTheValuesRates(string csv)
    {
        var trace = Parse(csv);

        Assert.Equal([600.0, 1200], trace.Counts);
    }

    [Theory]
    [InlineData("1998-04-30 21:30:00 2\n1998-04-30 21:31:00 11\n")]
    [InlineData("1998-04-30T21:30:00Z;2\n1998-04-30T21:31:00Z;11\n")]
    [InlineData("893971800000,2\n893971860000,11\n")]
    public void CommonTimestampFormats_AreRead(string csv)
    {
        var trace = Parse(csv);

        Assert.Equal(TimeSpan.FromMinutes(1), trace.Interval);
        Assert.Equal([2.0, 11], trace.Counts);
    }

    [Theory]
    [InlineData("", "no data rows")]
    [InlineData("# only a comment\n", "no data rows")]
    [InlineData("period,count\n", "no data rows")]
    [InlineData("10\n20,30\n", "line 2: expected one value")]
    [InlineData("10\nabc\n", "line 2: value 'abc' is not a number")]
    [InlineData("5\n-3\n", "line 2: value -3 must be")]
    public void BadFiles_GiveOneClearError(string csv, string message)
    {
        var error = Assert.Throws<TraceFormatException>(() => Parse(csv));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    internal static string RepositoryFile(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (var i = 0; i < 10 && directory is not null; i++, directory = directory.Parent)
        {
            var candidate = Path.Combine([directory.FullName, .. parts]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("not found above the test directory: " + Path.Combine(parts));
    }

    private static LoadTrace Parse(string csv) => TraceReader.Parse(new StringReader(csv), "test");
}
