namespace Shoal.Autoscaling.Simulation.Corpus.Internal;

/// <summary>
/// A randomised daily shape, 1 at its peak and <c>trough</c> at its lowest: a first harmonic with a
/// random peak hour plus a second harmonic of random weight and phase (a lunch dip, an evening shoulder).
/// </summary>
internal sealed class DailyProfile
{
    private readonly double[] _values = new double[1440];

    public DailyProfile(TraceRandom random, double troughLow, double troughHigh)
    {
        var trough = random.Uniform(troughLow, troughHigh);
        var peak = random.Uniform(10, 21) / 24 * 2 * Math.PI;
        var second = random.Uniform(0, 0.45);
        var secondPhase = random.Uniform(0, 2 * Math.PI);
        var raw = new double[1440];
        for (var m = 0; m < raw.Length; m++)
        {
            var x = m / 1440.0 * 2 * Math.PI;
            raw[m] = Math.Cos(x - peak) + (second * Math.Cos((2 * x) - secondPhase));
        }

        var (min, max) = (raw.Min(), raw.Max());
        for (var m = 0; m < raw.Length; m++)
        {
            _values[m] = trough + ((1 - trough) * (raw[m] - min) / (max - min));
        }
    }

    /// <summary>The shape at a minute of the trace (the day repeats).</summary>
    public double At(int minute) => _values[minute % 1440];
}
