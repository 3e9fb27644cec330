using Shoal.Autoscaling.Forecasting.Internal;

namespace Shoal.Autoscaling.Tests.Forecasting;

/// <summary>Known answers of <see cref="PeriodDetector"/>: the exact period of jittered batches, none for a spike.</summary>
public sealed class PeriodDetectorTests
{
    [Theory]
    [InlineData(97, 0)]
    [InlineData(97, 3)]
    [InlineData(196, 2)]
    public void JitteredBatches_TheirPeriodIsFoundExactly(int period, int jitter)
    {
        var detector = new PeriodDetector(4, 360, 0.3);
        foreach (var value in Batches.Series(5 * 360, period, jitter, seed: period))
        {
            detector.Add(value);
        }

        Assert.Equal(period, detector.Detect());
    }

    [Fact]
    public void OneOffSpike_IsNoPeriod()
    {
        var detector = new PeriodDetector(4, 360, 0.3);
        for (var minute = 0; minute < 1440; minute++)
        {
            detector.Add(minute is >= 700 and < 720 ? 3000 : 300 * Batches.Noise(minute));
        }

        Assert.Null(detector.Detect());
    }
}
