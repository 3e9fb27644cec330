using Microsoft.Extensions.Logging;
using Shoal.Autoscaling.Policy;

namespace Shoal.Autoscaling.Internal;

/// <summary>The autoscaler's log messages (event ids 4000-4099).</summary>
internal static partial class AutoscalingLog
{
    [LoggerMessage(4000, LogLevel.Information, "{Policy}: {Reason} {Current} -> {Desired} replicas (load {Load:F1}/s, forecast {Forecast:F1}/s, headroom {Headroom:P0}, capacity {Capacity:F1}/s per replica, recommended {Recommended})")]
    public static partial void ScaleChanged(ILogger logger, string policy, ScalingReason reason, int current, int desired, double load, double forecast, double headroom, double capacity, int recommended);

    [LoggerMessage(4001, LogLevel.Debug, "{Policy}: {Reason} at {Current} replicas (load {Load:F1}/s, forecast {Forecast:F1}/s, headroom {Headroom:P0}, capacity {Capacity:F1}/s per replica, recommended {Recommended})")]
    public static partial void ScaleHeld(ILogger logger, string policy, ScalingReason reason, int current, double load, double forecast, double headroom, double capacity, int recommended);

    [LoggerMessage(4010, LogLevel.Information, "Actuator {Actuator}: scaling {From} -> {To} replicas")]
    public static partial void Actuating(ILogger logger, string actuator, int from, int to);

    [LoggerMessage(4011, LogLevel.Warning, "Actuator {Actuator} failed to scale to {To} replicas")]
    public static partial void ActuationFailed(ILogger logger, Exception exception, string actuator, int to);

    [LoggerMessage(4020, LogLevel.Information, "Instance {Instance} started: pid {Pid} on port {Port}")]
    public static partial void InstanceStarted(ILogger logger, string instance, int pid, int port);

    [LoggerMessage(4021, LogLevel.Information, "Instance {Instance} stopped (pid {Pid}, exit code {ExitCode})")]
    public static partial void InstanceStopped(ILogger logger, string instance, int pid, int exitCode);

    [LoggerMessage(4022, LogLevel.Warning, "Instance {Instance} (pid {Pid}) exited unexpectedly with code {ExitCode}; restarting")]
    public static partial void InstanceCrashed(ILogger logger, string instance, int pid, int exitCode);

    [LoggerMessage(4023, LogLevel.Warning, "Instance {Instance} (pid {Pid}) ignored SIGTERM for {Grace}; killing it")]
    public static partial void InstanceKilled(ILogger logger, string instance, int pid, TimeSpan grace);

    /// <summary>Logs a decision: information when it changes the count, debug otherwise.</summary>
    public static void Decision(ILogger logger, ScalingDecision d)
    {
        if (d.IsChange)
        {
            ScaleChanged(logger, d.Policy, d.Reason, d.CurrentReplicas, d.Desired, d.CurrentLoad, d.Forecast, d.Headroom, d.Capacity, d.Recommended);
        }
        else
        {
            ScaleHeld(logger, d.Policy, d.Reason, d.CurrentReplicas, d.CurrentLoad, d.Forecast, d.Headroom, d.Capacity, d.Recommended);
        }
    }
}
