namespace Shoal.Autoscaling.Forecasting.Internal;

/// <summary>Argument checks shared by the forecasters.</summary>
internal static class ForecastGuard
{
    public static void Fraction(double value, string name)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be in (0, 1].");
        }
    }

    public static void Steps(int stepsAhead)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsAhead, 1);
    }
}
