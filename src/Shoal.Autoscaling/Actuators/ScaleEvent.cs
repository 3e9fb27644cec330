namespace Shoal.Autoscaling.Actuators;

/// <summary>One thing an actuator did.</summary>
/// <param name="Time">When.</param>
/// <param name="Actuator">The actuator's name.</param>
/// <param name="Kind">What happened.</param>
/// <param name="From">The replica count before (for <see cref="ScaleEventKind.Scaled"/>; otherwise the count at the time).</param>
/// <param name="To">The replica count after.</param>
/// <param name="Instance">The instance concerned, if any.</param>
public sealed record ScaleEvent(DateTimeOffset Time, string Actuator, ScaleEventKind Kind, int From, int To, string? Instance = null);
