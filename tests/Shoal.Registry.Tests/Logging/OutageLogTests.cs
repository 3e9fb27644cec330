using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Discovery.Internal;

namespace Shoal.Registry.Tests.Logging;

/// <summary>A registry outage is logged once in full, then once per summary interval, then once when it ends.</summary>
public sealed class OutageLogTests
{
    [Fact]
    public void FailureEverySecondForTwoMinutes_LogsTheFirstThenOneSummaryPerInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var log = new OutageLog(time, TimeSpan.FromSeconds(30));
        var steps = new List<(OutageStep Step, int Failures, TimeSpan Outage)>();

        for (var second = 0; second < 120; second++)
        {
            var step = log.Fail(out var failures, out var outage);
            if (step != OutageStep.None)
            {
                steps.Add((step, failures, outage));
            }
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(
            [
                (OutageStep.First, 1, TimeSpan.Zero),
                (OutageStep.Summary, 30, TimeSpan.FromSeconds(30)),
                (OutageStep.Summary, 30, TimeSpan.FromSeconds(60)),
                (OutageStep.Summary, 30, TimeSpan.FromSeconds(90)),
            ],
            steps);
        Assert.True(log.Recover(out var total, out var length));
        Assert.Equal(120, total);
        Assert.Equal(TimeSpan.FromSeconds(120), length);
    }

    [Fact]
    public void SuccessWithoutOutage_EndsNothing_AndTheNextFailureIsFirstAgain()
    {
        var time = new FakeTimeProvider();
        var log = new OutageLog(time, TimeSpan.FromSeconds(30));

        Assert.False(log.Recover(out _, out _));
        Assert.Equal(OutageStep.First, log.Fail(out _, out _));
        Assert.Equal(OutageStep.None, log.Fail(out _, out _));
        Assert.True(log.Recover(out var failures, out _));
        Assert.Equal(2, failures);
        Assert.Equal(OutageStep.First, log.Fail(out var again, out _));
        Assert.Equal(1, again);
    }
}
