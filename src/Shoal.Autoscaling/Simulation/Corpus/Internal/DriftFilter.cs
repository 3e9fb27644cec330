namespace Shoal.Autoscaling.Simulation.Corpus.Internal;

/// <summary>
/// A Kalman filter for the corpus noise's slow drift: an AR(1) process in log space seen through
/// independent minute shocks. It estimates the drift from the logs of load over shape, one a minute,
/// and forecasts the log factor of a minute ahead (mean and variance, the minute shock included).
/// </summary>
/// <remarks>
/// A heavy-tailed shock would drag the estimate, so an innovation is clipped at three standard deviations
/// of its prediction (a Student-t shock's variance is taken as three scales squared when it is infinite).
/// </remarks>
internal sealed class DriftFilter
{
    private readonly double _memory;
    private readonly double _driftVariance;
    private readonly double _shockVariance;
    private double _mean;
    private double _variance;

    public DriftFilter(double memory, double driftSigma, double minuteSigma, double? tailDof)
    {
        _memory = memory;
        _driftVariance = driftSigma * driftSigma;
        var inflation = tailDof is { } dof ? (dof > 2 ? Math.Min(3, dof / (dof - 2)) : 3) : 1;
        _shockVariance = minuteSigma * minuteSigma * inflation;
        // The drift's stationary variance: what is known before the first minute.
        _variance = _memory < 1 ? _driftVariance / (1 - (_memory * _memory)) : 0;
    }

    /// <summary>Advances one minute and takes in its log load over shape.</summary>
    public void Observe(double logRatio)
    {
        Predict();
        var spread = _variance + _shockVariance;
        if (spread <= 1e-18)
        {
            return;
        }

        var limit = 3 * Math.Sqrt(spread);
        var innovation = Math.Clamp(logRatio - _mean, -limit, limit);
        var gain = _variance / spread;
        _mean += gain * innovation;
        _variance *= 1 - gain;
    }

    /// <summary>Advances one minute without an observation.</summary>
    public void Predict()
    {
        _mean *= _memory;
        _variance = (_memory * _memory * _variance) + _driftVariance;
    }

    /// <summary>The log factor <paramref name="minutes"/> after the last minute taken in: mean and variance.</summary>
    public (double Mean, double Variance) Forecast(int minutes)
    {
        var mean = _mean;
        var variance = _variance;
        for (var i = 0; i < minutes; i++)
        {
            mean *= _memory;
            variance = (_memory * _memory * variance) + _driftVariance;
        }

        return (mean, variance + _shockVariance);
    }
}
