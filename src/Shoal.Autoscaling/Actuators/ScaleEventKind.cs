namespace Shoal.Autoscaling.Actuators;

/// <summary>What an actuator did.</summary>
public enum ScaleEventKind
{
    /// <summary>The replica count changed.</summary>
    Scaled,

    /// <summary>An instance was started.</summary>
    InstanceStarted,

    /// <summary>An instance was stopped on purpose (drained).</summary>
    InstanceStopped,

    /// <summary>An instance did not stop within the grace period and was killed.</summary>
    InstanceKilled,

    /// <summary>An instance exited unexpectedly.</summary>
    InstanceCrashed,

    /// <summary>A crashed instance was started again.</summary>
    InstanceRestarted,
}
