namespace Shoal.Autoscaling.Simulation.Corpus.Internal;

/// <summary>The standard normal's upper quantiles, down to risks of 10^−300.</summary>
internal static class NormalTail
{
    /// <summary>The z whose upper tail probability is <paramref name="risk"/>.</summary>
    public static double Quantile(double risk)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(risk, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(risk, 1);
        var target = Math.Log(risk);
        double low = -40, high = 40;
        for (var i = 0; i < 200 && high - low > 1e-12; i++)
        {
            var mid = (low + high) / 2;
            if (LogUpperTail(mid) > target)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return (low + high) / 2;
    }

    /// <summary>log P(Z &gt; z), from erfc's Chebyshev fit (fractional error below 1.2e-7 everywhere), in log space so it never underflows.</summary>
    private static double LogUpperTail(double z)
    {
        if (z < 0)
        {
            return Math.Log(1 - Math.Exp(LogUpperTail(-z)));
        }

        var x = z / Math.Sqrt(2);
        var t = 1 / (1 + (0.5 * x));
        var poly = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        return Math.Log(0.5) + Math.Log(t) - (x * x) + poly;
    }
}
