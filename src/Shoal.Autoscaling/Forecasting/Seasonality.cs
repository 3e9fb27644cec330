namespace Shoal.Autoscaling.Forecasting;

/// <summary>How the seasonal component of Holt-Winters combines with level and trend.</summary>
public enum Seasonality
{
    /// <summary>The season adds a fixed amount: forecast = level + trend + season.</summary>
    Additive,

    /// <summary>The season scales the level: forecast = (level + trend) × season.</summary>
    Multiplicative,
}
