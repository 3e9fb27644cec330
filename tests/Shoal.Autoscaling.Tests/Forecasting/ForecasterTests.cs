using Shoal.Autoscaling.Forecasting;

namespace Shoal.Autoscaling.Tests.Forecasting;

public sealed class ForecasterTests
{
    [Fact]
    public void Holt_OnALine_ForecastsExactlyAfterWarmUp()
    {
        var holt = new HoltForecaster(alpha: 0.4, beta: 0.2);
        for (var t = 0; t < 50; t++)
        {
            holt.Observe(10 + (3 * t));
        }

        // The last sample was t = 49 (157); h steps ahead is 157 + 3h.
        Assert.Equal(160, holt.Forecast(1), 6);
        Assert.Equal(187, holt.Forecast(10), 6);
    }

    [Fact]
    public void Holt_AfterTwoSamples_AlreadyKnowsTheSlope()
    {
        var holt = new HoltForecaster();
        holt.Observe(5);
        holt.Observe(7);

        Assert.Equal(13, holt.Forecast(3), 9);
    }

    [Fact]
    public void HoltWinters_OnASineWithItsPeriod_BeatsEwmaAndHoltByAClearMargin()
    {
        const int period = 24;
        var hw = new HoltWintersForecaster(new HoltWintersOptions { Period = period });
        var ewma = new EwmaForecaster(0.3);
        var holt = new HoltForecaster();
        double hwError = 0, ewmaError = 0, holtError = 0;
        for (var t = 0; t < 20 * period; t++)
        {
            var value = Sine(t, period);
            if (t >= 10 * period)
            {
                // Two steps ahead, as the policy forecasts past the lead time.
                hwError += Math.Abs(hw.Forecast(2) - Sine(t + 1, period));
                ewmaError += Math.Abs(ewma.Forecast(2) - Sine(t + 1, period));
                holtError += Math.Abs(holt.Forecast(2) - Sine(t + 1, period));
            }

            hw.Observe(value);
            ewma.Observe(value);
            holt.Observe(value);
        }

        Assert.True(hwError < 0.2 * ewmaError, $"holt-winters {hwError:F1} vs ewma {ewmaError:F1}");
        Assert.True(hwError < 0.2 * holtError, $"holt-winters {hwError:F1} vs holt {holtError:F1}");
    }

    [Fact]
    public void HoltWinters_WithoutAPeriod_DetectsItByAutocorrelation()
    {
        var random = new Random(7);
        var hw = new HoltWintersForecaster(new HoltWintersOptions { MinPeriod = 8, MaxPeriod = 200 });
        for (var t = 0; t < 1000; t++)
        {
            hw.Observe(Sine(t, 48) + (random.NextDouble() * 4));
        }

        Assert.Equal(48, hw.Period);
    }

    [Fact]
    public void HoltWinters_OnATrendWithoutSeason_DetectsNoPeriod()
    {
        var random = new Random(3);
        var hw = new HoltWintersForecaster(new HoltWintersOptions { MinPeriod = 8, MaxPeriod = 200 });
        for (var t = 0; t < 1000; t++)
        {
            hw.Observe(100 + (0.5 * t) + random.NextDouble());
        }

        Assert.Null(hw.Period);
    }

    [Fact]
    public void HoltWinters_Multiplicative_TracksASeasonThatGrowsWithTheLevel()
    {
        const int period = 12;
        var hw = new HoltWintersForecaster(new HoltWintersOptions { Period = period, Seasonality = Seasonality.Multiplicative, Beta = 0.1 });
        double Value(int t) => (100 + t) * (1 + (0.5 * Math.Sin(2 * Math.PI * t / period)));
        for (var t = 0; t < 30 * period; t++)
        {
            hw.Observe(Value(t));
        }

        var next = 30 * period;
        var relativeError = Math.Abs(hw.Forecast(1) - Value(next)) / Value(next);
        Assert.True(relativeError < 0.05, $"relative error {relativeError:P1}");
    }

    [Theory]
    [InlineData("ewma", 10)]
    [InlineData("holt", 10)]
    [InlineData("ensemble", 12)]
    public void Forecaster_OnAStep_ReachesTheNewLevelWithinNSamples(string name, int maxSamples)
    {
        var forecaster = Create(name);
        for (var t = 0; t < 100; t++)
        {
            forecaster.Observe(100);
        }

        var reached = -1;
        for (var t = 0; t < 50 && reached < 0; t++)
        {
            forecaster.Observe(200);
            if (Math.Abs(forecaster.Forecast(1) - 200) <= 10)
            {
                reached = t + 1;
            }
        }

        Assert.InRange(reached, 1, maxSamples);
    }

    [Fact]
    public void Ensemble_OnASingleSpike_DoesNotChaseItForLong()
    {
        var ensemble = EnsembleForecaster.CreateDefault(errorHorizon: 2, maxPeriod: 200);
        var random = new Random(5);
        for (var t = 0; t < 300; t++)
        {
            ensemble.Observe(100 + random.NextDouble());
        }

        ensemble.Observe(1000);
        var samplesToRecover = -1;
        for (var t = 0; t < 30 && samplesToRecover < 0; t++)
        {
            ensemble.Observe(100 + random.NextDouble());
            if (Math.Abs(ensemble.Forecast(2) - 100) < 10)
            {
                samplesToRecover = t + 1;
            }
        }

        Assert.InRange(samplesToRecover, 1, 6);
    }

    [Fact]
    public void Ensemble_OnALine_GivesTheTrendMemberTheMostWeight()
    {
        var ensemble = new EnsembleForecaster([new EwmaForecaster(0.3), new HoltForecaster()], errorHorizon: 2);
        for (var t = 0; t < 100; t++)
        {
            ensemble.Observe(5 * t);
        }

        Assert.True(ensemble.Weights[1] > 0.99, $"holt weight {ensemble.Weights[1]:F3}");
        Assert.Equal(5 * 101, ensemble.Forecast(2), 1);
    }

    [Fact]
    public void Forecasters_IgnoreNonFiniteSamples()
    {
        var ewma = new EwmaForecaster();
        ewma.Observe(10);
        ewma.Observe(double.NaN);
        ewma.Observe(double.PositiveInfinity);

        Assert.Equal(1, ewma.Count);
        Assert.Equal(10, ewma.Forecast(1));
    }

    [Fact]
    public void Forecast_WithZeroStepsAhead_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HoltForecaster().Forecast(0));
    }

    private static double Sine(int t, int period) => 100 + (50 * Math.Sin(2 * Math.PI * t / period));

    private static IForecaster Create(string name) => name switch
    {
        "ewma" => new EwmaForecaster(0.3),
        "holt" => new HoltForecaster(0.5, 0.2, 0.9),
        _ => EnsembleForecaster.CreateDefault(errorHorizon: 1, maxPeriod: 200),
    };
}
