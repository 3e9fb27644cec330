namespace Shoal.Autoscaling.Simulation.Corpus.Internal;

/// <summary>
/// The multiplicative noise every corpus trace carries, because real traffic does: a slow drift (an AR(1)
/// process in log space, correlated over tens of minutes) and independent per-minute noise, Gaussian or
/// Student-t in log space (heavy-tailed minute noise), clipped to a factor of 20 either way.
/// </summary>
internal sealed record NoiseModel(double DriftSigma, double MinuteSigma, double? TailDof = null)
{
    public const double DriftMemory = 0.97;
    private static readonly double MaxLog = Math.Log(20);

    /// <summary>The common noise: drift 0.5-1.5% per minute, minute noise 2-6%.</summary>
    public static NoiseModel Typical(TraceRandom random) => new(random.Uniform(0.005, 0.015), random.Uniform(0.02, 0.06));

    public double[] Factors(TraceRandom random, int minutes)
    {
        var factors = new double[minutes];
        var drift = 0.0;
        for (var m = 0; m < minutes; m++)
        {
            drift = (DriftMemory * drift) + (DriftSigma * random.Gaussian());
            var shock = TailDof is { } dof ? random.StudentT(dof) : random.Gaussian();
            factors[m] = Math.Exp(Math.Clamp(drift + (MinuteSigma * shock), -MaxLog, MaxLog));
        }

        return factors;
    }
}
