using Shoal.Autoscaling.Forecasting;

namespace Shoal.Autoscaling.Tests.Forecasting;

/// <summary>
/// Known answers of <see cref="SeasonalEnsembleForecaster"/> on batch schedules whose period is no calendar
/// one (97 minutes): once the period is found, an exact start is forecast before it comes, and a start that
/// wanders is inside the envelope (the window the past starts were seen in), which falls back to the background
/// away from the starts.
/// </summary>
public sealed class BatchScheduleForecastTests
{
    private const int Period = 97;

    [Fact]
    public void ExactSchedule_EveryStartIsForecastTwoMinutesAhead_AndTheMinuteBeforeItIsNot()
    {
        var (ahead, envelope, starts) = ForecastsTwoMinutesAhead(jitter: 0);

        Assert.All(envelope.Skip(2), e => Assert.True(double.IsNaN(e)));
        foreach (var start in starts.Where(s => s >= 12 * Period))
        {
            Assert.True(ahead[start] >= 0.9 * Batches.Level, $"start {start}: {ahead[start]:F0}");
            Assert.True(ahead[start - 1] <= 1.1 * Batches.Background, $"before {start}: {ahead[start - 1]:F0}");
        }
    }

    [Fact]
    public void JitteredSchedule_EveryStartIsInTheEnvelopeTwoMinutesAhead_AndTheRestOfTheGapIsNot()
    {
        var (_, envelope, starts) = ForecastsTwoMinutesAhead(jitter: 3);

        for (var cycle = 12; cycle < starts.Length; cycle++)
        {
            var start = starts[cycle];
            Assert.True(envelope[start] >= 0.9 * Batches.Level, $"start {start}: {envelope[start]:F0}");
            // Well before the earliest start the jitter allows (3 minutes, so 6 between two starts), background.
            var early = Batches.Scheduled(cycle, Period) - 15;
            Assert.True(envelope[early] <= 1.2 * Batches.Background, $"minute {early}: {envelope[early]:F0}");
        }
    }

    /// <summary>The forecast and the envelope for every minute made two minutes before it, on 16 cycles of the schedule.</summary>
    private static (double[] Ahead, double[] Envelope, int[] Starts) ForecastsTwoMinutesAhead(int jitter)
    {
        var (values, starts) = Batches.Generate(16 * Period, Period, jitter, seed: 7);
        var forecaster = new SeasonalEnsembleForecaster(new SeasonalEnsembleOptions { ErrorHorizon = 2 });
        var ahead = new double[values.Length + 2];
        var envelope = new double[values.Length + 2];
        for (var minute = 0; minute < values.Length; minute++)
        {
            forecaster.Observe(values[minute]);
            ahead[minute + 2] = forecaster.Forecast(2);
            envelope[minute + 2] = forecaster.Envelope(2, double.NaN);
        }

        Assert.Contains(Period, forecaster.Periods);
        return (ahead, envelope, [.. starts.Where(s => s + 2 < values.Length)]);
    }
}
