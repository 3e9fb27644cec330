using Microsoft.Extensions.Logging;

namespace Shoal.Autoscaling.Containers.Internal;

/// <summary>The container actuator's log messages (event ids 4300-4309).</summary>
internal static partial class ContainerActuatorLog
{
    [LoggerMessage(4300, LogLevel.Information, "Instance {Instance} started: container {Container} from {Image}")]
    public static partial void InstanceStarted(ILogger logger, string instance, string container, string image);

    [LoggerMessage(4301, LogLevel.Information, "Instance {Instance} stopped (container {Container}, exit code {ExitCode})")]
    public static partial void InstanceStopped(ILogger logger, string instance, string container, long exitCode);

    [LoggerMessage(4302, LogLevel.Warning, "Instance {Instance} (container {Container}) exited unexpectedly with code {ExitCode}; replacing it")]
    public static partial void InstanceCrashed(ILogger logger, string instance, string container, long exitCode);

    [LoggerMessage(4303, LogLevel.Warning, "Instance {Instance} (container {Container}) did not stop within {Grace} of SIGTERM; killing it")]
    public static partial void InstanceKilled(ILogger logger, string instance, string container, TimeSpan grace);

    [LoggerMessage(4304, LogLevel.Warning, "Instance {Instance} could not be started again; trying again")]
    public static partial void RestartFailed(ILogger logger, string instance, Exception exception);

    [LoggerMessage(4305, LogLevel.Warning, "Container {Container} of instance {Instance} could not be stopped or removed")]
    public static partial void StopFailed(ILogger logger, string instance, string container, Exception exception);

    [LoggerMessage(4306, LogLevel.Information, "Removed container {Container} left by an earlier actuator of owner {Owner} under the name {Instance}")]
    public static partial void LeftoverRemoved(ILogger logger, string container, string owner, string instance);
}
