using Microsoft.Extensions.Logging;

namespace Shoal.Autoscaling.Actuators;

/// <summary>What an <see cref="IScaleActuatorProvider"/> gets to create its actuator with.</summary>
public sealed record ScaleActuatorContext
{
    /// <summary>Gets the clock for event times and delays.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Gets where the actuator logs; null for no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Gets the replica count an actuator that cannot read one starts from (the dry run's).</summary>
    public int InitialReplicas { get; init; } = 1;
}
