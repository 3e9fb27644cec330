namespace Shoal.Autoscaling.Simulation.Corpus.Internal;

/// <summary>The random draws of the corpus generators: one seeded source, so a seed gives the same trace everywhere.</summary>
internal sealed class TraceRandom(int seed)
{
    private readonly Random _random = new(seed);

    public double Uniform(double low, double high) => low + ((high - low) * _random.NextDouble());

    /// <summary>Uniform in log space: scales from ten to a thousand are all as likely.</summary>
    public double LogUniform(double low, double high) => Math.Exp(Uniform(Math.Log(low), Math.Log(high)));

    public int Integer(int low, int highInclusive) => _random.Next(low, highInclusive + 1);

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public double Gaussian()
    {
        var u1 = 1 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Student's t with <paramref name="dof"/> degrees of freedom (heavy tails for a small dof).</summary>
    public double StudentT(double dof) => Gaussian() / Math.Sqrt(2 * Gamma(dof / 2) / dof);

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang's method (shape below 1 boosted by a uniform power).</summary>
    private double Gamma(double shape)
    {
        if (shape < 1)
        {
            return Gamma(shape + 1) * Math.Pow(1 - _random.NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            double x, v;
            do
            {
                x = Gaussian();
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = 1 - _random.NextDouble();
            if (Math.Log(u) < (0.5 * x * x) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }

        return shape;
    }
}
