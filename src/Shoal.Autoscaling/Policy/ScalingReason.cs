namespace Shoal.Autoscaling.Policy;

/// <summary>Why a policy chose its replica count.</summary>
public enum ScalingReason
{
    /// <summary>The current count already fits the need (or the change is within the tolerance).</summary>
    Hold,

    /// <summary>Scaled up because the forecast one lead time ahead needs more replicas.</summary>
    ScaleUpForecast,

    /// <summary>Scaled up because the load surged past the forecast's prediction interval; the surge is extrapolated over the lead time.</summary>
    ScaleUpSurge,

    /// <summary>Scaled up because the current load alone needs more replicas.</summary>
    ScaleUpCurrentLoad,

    /// <summary>Scaled down: every recommendation in the stabilisation window is lower.</summary>
    ScaleDownStabilised,

    /// <summary>Held back from scaling down: a recommendation in the stabilisation window still needs the current count.</summary>
    HoldStabilising,

    /// <summary>No usable metric (no ready replica); nothing changes.</summary>
    NoMetrics,
}
