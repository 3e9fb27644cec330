namespace Shoal.Autoscaling.Forecasting.Internal;

/// <summary>
/// How far the rises of a periodic series wander from one cycle to the next: the width, in samples, of the
/// window a forecast at the same phase must cover so that a rise that comes early or late is not missed.
/// </summary>
/// <remarks>
/// Once per cycle the last cycle's rises (the positive first differences) are cross-correlated with the
/// previous cycle's at shifts of up to <c>maxShift</c>; the shift of the peak is how much the rises moved.
/// A peak counts only when it stands clearly above the average over all shifts (<see cref="Contrast"/>):
/// a series whose rises are noise or a slow climb has no such peak and counts as not moved, so only a
/// schedule whose steps wander (batch jobs that start a few minutes early or late) gets a width. The width
/// is the largest shift of the last <see cref="Remembered"/> cycles: two starts each up to j early or late
/// are up to 2j apart, and the forecast must cover the farthest.
/// Cost: O(period × maxShift) once per cycle, O(maxShift) per sample amortised; memory: a few shifts.
/// </remarks>
internal sealed class OnsetJitter(int period, int maxShift)
{
    private const int Remembered = 4;
    private const double Contrast = 3;
    private readonly int[] _shifts = new int[Remembered];
    private long _cycles;

    /// <summary>Gets the largest shift of the rises over the last cycles, in samples (0 while none is known).</summary>
    public int Width { get; private set; }

    /// <summary>Gets how many samples the history must hold.</summary>
    public int Needs => (2 * period) + maxShift + 1;

    /// <summary>Compares the cycle of <paramref name="view"/> that ends at <paramref name="latest"/> with the one before.</summary>
    public void Observe(SampleView view, long latest)
    {
        if (!view.Holds(latest - Needs + 1))
        {
            return;
        }

        Span<double> scores = stackalloc double[(2 * maxShift) + 1];
        var total = 0.0;
        for (var shift = -maxShift; shift <= maxShift; shift++)
        {
            var sum = 0.0;
            for (var i = latest - period + 1; i <= latest; i++)
            {
                var j = i - period + shift;
                sum += Rise(view, i) * Rise(view, j);
            }

            scores[shift + maxShift] = sum;
            total += sum;
        }

        var best = 0;
        for (var shift = -maxShift; shift <= maxShift; shift++)
        {
            // Ties go to the smaller shift: an exact schedule stays at zero.
            if (scores[shift + maxShift] > scores[best + maxShift] + 1e-12 || (Math.Abs(scores[shift + maxShift] - scores[best + maxShift]) <= 1e-12 && Math.Abs(shift) < Math.Abs(best)))
            {
                best = shift;
            }
        }

        var mean = total / scores.Length;
        var moved = scores[best + maxShift] > Contrast * mean ? Math.Abs(best) : 0;
        _shifts[_cycles++ % Remembered] = moved;
        var width = 0;
        for (var i = 0; i < Math.Min(_cycles, Remembered); i++)
        {
            width = Math.Max(width, _shifts[i]);
        }

        Width = width;
    }

    private static double Rise(SampleView view, long index) => Math.Max(0, view[index] - view[index - 1]);
}
