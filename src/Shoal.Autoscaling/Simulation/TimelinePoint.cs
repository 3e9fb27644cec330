namespace Shoal.Autoscaling.Simulation;

/// <summary>The simulated cluster at the end of one trace interval.</summary>
/// <param name="Offset">Time since the start of the trace.</param>
/// <param name="Load">Offered load, requests per second (mean over the interval).</param>
/// <param name="Forecast">The policy's forecast at its last decision in the interval, requests per second.</param>
/// <param name="Ready">The fewest ready replicas during the interval.</param>
/// <param name="Desired">The replica count the policy asked for at its last decision in the interval.</param>
public readonly record struct TimelinePoint(TimeSpan Offset, double Load, double Forecast, int Ready, int Desired);
