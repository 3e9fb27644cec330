namespace Shoal.Autoscaling.Policy.Internal;

/// <summary>
/// Tells whether the load seen so far in the current forecast window is a surprise: above the forecast
/// made for that window by more than <see cref="Threshold"/> robust scales of the usual deviation at the
/// same point of a window.
/// </summary>
/// <remarks>
/// The scale is the smoothed absolute relative deviation, updated with deviations clipped at the
/// threshold (so surprises do not widen it), one per phase of the window (a window's first tick alone is
/// noisier than its mean). The threshold is the forecaster's own outlier clip: a value it would not follow.
/// </remarks>
internal sealed class SurpriseDetector(int phases)
{
    /// <summary>Deviations beyond this many scales are surprises (the Huber clip of the forecaster).</summary>
    public const double Threshold = 3;

    // Ten samples of a phase before its scale means anything.
    private const int WarmUp = 10;
    private const double Smoothing = 0.05;
    private readonly double[] _scales = new double[phases];
    private readonly int[] _counts = new int[phases];

    /// <summary>Records the deviation at a phase and tells whether it is a surprise.</summary>
    /// <param name="phase">Ticks of the window seen, minus one.</param>
    /// <param name="seen">The mean load of the window so far.</param>
    /// <param name="expected">The forecast made for the window before it began.</param>
    /// <returns>The surprise, or null when the load is within the threshold.</returns>
    public Surprise? Observe(int phase, double seen, double expected)
    {
        var deviation = (seen - expected) / Math.Max(expected, 1e-6);
        var scale = _scales[phase];
        var surprise = _counts[phase] >= WarmUp && deviation > Threshold * scale;
        var clipped = _counts[phase] >= WarmUp ? Math.Min(Math.Abs(deviation), Threshold * scale) : Math.Abs(deviation);
        _scales[phase] = _counts[phase] == 0 ? clipped : ((1 - Smoothing) * scale) + (Smoothing * clipped);
        _counts[phase]++;
        return surprise ? new Surprise(seen, seen - expected) : null;
    }
}
