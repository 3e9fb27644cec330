namespace Shoal.Autoscaling.Policy.Internal;

/// <summary>
/// The conformal calibration of one kind of prediction: the relative errors of the forecaster's predictions,
/// one set per phase of the forecast window (how much of it was seen, hence the horizon), and one set for the
/// predictions made right after a surprise, in units of the surprise itself.
/// </summary>
/// <remarks>
/// After a surprise (the load jumped from the expected <c>e</c> to <c>s</c>) the error of what followed
/// (<c>a</c>) is (a − s) / (s − e): −1 when the jump was a spike that is gone, 0 when it held, 1 when it went
/// on as far again. In those units surprises of every size teach the same thing, and the quantile says how far
/// past the load seen to provision: the jump extrapolated when past jumps went on (flash crowds, ramps), the
/// forecast alone when they were spikes.
/// </remarks>
internal sealed class Calibration
{
    /// <summary>
    /// What a surprise is assumed to do before enough surprises were seen to tell: go on as far again by the
    /// time the replicas asked for are ready (the pace of the jump kept over one more window). Holding
    /// (0) would provision exactly for the load already there, late by a lead time on any climb.
    /// </summary>
    private const double UnknownJump = 1;

    private readonly ConformalQuantile[] _byPhase;
    private readonly ConformalQuantile _surprised;

    public Calibration(int phases, int window)
    {
        _byPhase = [.. Enumerable.Range(0, phases).Select(_ => new ConformalQuantile(window))];
        _surprised = new ConformalQuantile(window);
    }

    /// <summary>
    /// The upper end of the predicted distribution: the forecast raised by the quantile of its errors; after a
    /// surprise also the load seen raised by the quantile of what followed past surprises, whichever is higher.
    /// </summary>
    public double Upper(int phase, double forecast, Surprise? surprise, double risk, double uncalibratedMargin)
    {
        var errors = _byPhase[phase];
        var upper = forecast * (1 + (Calibrated(errors) ? Math.Max(-1, errors.Upper(risk)) : uncalibratedMargin));
        if (surprise is { } s)
        {
            // The forecaster does not follow an outlier; whether it was a spike or a shift, what followed past
            // surprises tells. Until there are enough of them, the jump is assumed to go on at its pace.
            var held = Calibrated(_surprised) ? Math.Max(-1, _surprised.Upper(risk)) : UnknownJump;
            upper = Math.Max(upper, s.Seen + (held * s.Jump));
        }

        return Math.Max(0, upper);
    }

    /// <summary>
    /// The centre of the predicted distribution after a surprise: the load seen moved by the median of what
    /// followed past surprises (in units of the jump).
    /// </summary>
    public double Centre(Surprise surprise)
    {
        var held = Calibrated(_surprised) ? Math.Max(-1, _surprised.Upper(0.5)) : UnknownJump;
        return Math.Max(0, surprise.Seen + (held * surprise.Jump));
    }

    public void Add(int phase, double actual, double predicted, Surprise? surprise)
    {
        if (surprise is { } s)
        {
            _surprised.Add((actual - s.Seen) / s.Jump);
        }
        else
        {
            _byPhase[phase].Add((actual - predicted) / Math.Max(predicted, 1e-6));
        }
    }

    private static bool Calibrated(ConformalQuantile errors) => errors.Count >= ConformalQuantile.TailCount * 2;
}
