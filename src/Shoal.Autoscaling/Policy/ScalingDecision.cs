namespace Shoal.Autoscaling.Policy;

/// <summary>One scaling decision and everything that led to it.</summary>
/// <param name="Time">When it was taken.</param>
/// <param name="Policy">The policy's name.</param>
/// <param name="CurrentLoad">The measured load, requests per second.</param>
/// <param name="Forecast">The forecast load one lead time ahead (the current load for a reactive policy).</param>
/// <param name="Headroom">The headroom applied, as a fraction (0.1 = 10%).</param>
/// <param name="Capacity">Requests per second one replica serves.</param>
/// <param name="CurrentReplicas">The replica count before the decision.</param>
/// <param name="Recommended">The raw recommendation before stabilisation and rate limits.</param>
/// <param name="Desired">The chosen count.</param>
/// <param name="Reason">Why.</param>
public sealed record ScalingDecision(
    DateTimeOffset Time,
    string Policy,
    double CurrentLoad,
    double Forecast,
    double Headroom,
    double Capacity,
    int CurrentReplicas,
    int Recommended,
    int Desired,
    ScalingReason Reason)
{
    /// <summary>
    /// Gets the upper end of the forecast distribution provisioned for (the knob's quantile), requests
    /// per second; null for a policy without one.
    /// </summary>
    public double? Upper { get; init; }

    /// <summary>Gets whether the decision changes the replica count.</summary>
    public bool IsChange => Desired != CurrentReplicas;
}
