using Shoal.Autoscaling.Forecasting;

namespace Shoal.Autoscaling.Tests.Forecasting;

/// <summary>Known answers of <see cref="SeasonalEnsembleForecaster"/> on one-minute samples.</summary>
public sealed class SeasonalEnsembleForecasterTests
{
    [Fact]
    public void HourlyBurst_AfterTwoHours_IsForecastBeforeTheThirdBurst()
    {
        var forecaster = new SeasonalEnsembleForecaster(new SeasonalEnsembleOptions { ErrorHorizon = 2 });
        // 300/s with a 6-minute burst to 750/s at the top of every hour, ±2% of deterministic noise.
        for (var minute = 0; minute <= 120 + 58; minute++)
        {
            forecaster.Observe(HourlyBurst(minute));
        }

        // With 02:58 seen, the forecasts for 03:00 and 03:01 (two and three steps ahead) are the burst.
        Assert.InRange(forecaster.Forecast(2), 0.9 * 750, 1.1 * 750);
        Assert.InRange(forecaster.Forecast(3), 0.9 * 750, 1.1 * 750);
        Assert.InRange(forecaster.Forecast(1), 0.9 * 300, 1.1 * 300);
        Assert.Contains(60, forecaster.Periods);
    }

    [Fact]
    public void LevelShift_IsFollowedWithinThreeSamples()
    {
        var forecaster = new SeasonalEnsembleForecaster();
        for (var minute = 0; minute < 600; minute++)
        {
            forecaster.Observe(400 * Noise(minute));
        }

        var after = new List<double>();
        for (var minute = 600; minute < 610; minute++)
        {
            forecaster.Observe(1000 * Noise(minute));
            after.Add(forecaster.Forecast(1));
        }

        // The first sample at the new level could be a spike and moves the forecast little; by the third
        // the change point has re-levelled it.
        Assert.True(after[0] < 700, $"after one sample: {after[0]:F0}");
        Assert.All(after.Skip(2), f => Assert.InRange(f, 900, 1100));
    }

    [Fact]
    public void SingleSpike_DoesNotRaiseTheNextDaysForecast()
    {
        var forecaster = new SeasonalEnsembleForecaster(new SeasonalEnsembleOptions { ErrorHorizon = 2 });
        const int spikeMinute = 1440 + 720;
        for (var minute = 0; minute < (2 * 1440) + 718; minute++)
        {
            forecaster.Observe(minute == spikeMinute ? 10 * Daily(minute) : Daily(minute));
        }

        // Day three, two minutes before the minute of yesterday's spike.
        var expected = Daily((2 * 1440) + 720);
        Assert.InRange(forecaster.Forecast(2), 0.9 * expected, 1.1 * expected);
    }

    [Fact]
    public void SingleSpike_MovesTheNextForecastLittle()
    {
        var forecaster = new SeasonalEnsembleForecaster();
        for (var minute = 0; minute < 300; minute++)
        {
            forecaster.Observe(500 * Noise(minute));
        }

        forecaster.Observe(5000);

        Assert.InRange(forecaster.Forecast(1), 450, 600);
    }

    [Fact]
    public void ProvisionalSample_IsTakenAsTheLatestWithoutBeingLearnt()
    {
        var forecaster = new SeasonalEnsembleForecaster();
        for (var minute = 0; minute < 300; minute++)
        {
            forecaster.Observe(500);
        }

        var before = forecaster.Forecast(1);
        var withDip = forecaster.Forecast(1, 480);

        Assert.Equal(500, before, 6);
        Assert.InRange(withDip, 470, 499);
        Assert.Equal(before, forecaster.Forecast(1), 9);
        Assert.Equal(300, forecaster.Count);
    }

    [Fact]
    public void FlatSeries_WeighsTheSeasonsDownToNothingSpecial()
    {
        var forecaster = new SeasonalEnsembleForecaster();
        for (var minute = 0; minute < 600; minute++)
        {
            forecaster.Observe(200 * Noise(minute));
        }

        Assert.InRange(forecaster.Forecast(1), 190, 210);
        Assert.Equal(1, forecaster.Weights.Sum(), 9);
    }

    /// <summary>Deterministic noise in [0.98, 1.02].</summary>
    internal static double Noise(int minute) => 1 + (0.02 * Math.Sin(minute * 12.9898));

    internal static double HourlyBurst(int minute) => (minute % 60 < 6 ? 750 : 300) * Noise(minute);

    private static double Daily(int minute) => (500 + (300 * Math.Sin(2 * Math.PI * minute / 1440))) * Noise(minute);
}
