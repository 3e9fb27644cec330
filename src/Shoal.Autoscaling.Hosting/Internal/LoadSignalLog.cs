using Microsoft.Extensions.Logging;

namespace Shoal.Autoscaling.Hosting.Internal;

/// <summary>Log messages of the live load signal and the hosted autoscaler (event ids 4200-4299).</summary>
internal static partial class LoadSignalLog
{
    [LoggerMessage(4200, LogLevel.Information, "Load signal: watching {Instance} at {Address}")]
    public static partial void Watching(ILogger logger, string instance, Uri address);

    [LoggerMessage(4201, LogLevel.Information, "Load signal: {Instance} left the registry; its load no longer counts")]
    public static partial void Left(ILogger logger, string instance);

    [LoggerMessage(4202, LogLevel.Debug, "Load signal: the load stream of {Instance} ended ({Reason}); reconnecting in {Delay}")]
    public static partial void StreamEnded(ILogger logger, string instance, string reason, TimeSpan delay);

    [LoggerMessage(4203, LogLevel.Warning, "Load signal: {Instance} has no native or gRPC address; skipped")]
    public static partial void NoAddress(ILogger logger, string instance);

    [LoggerMessage(4204, LogLevel.Warning, "Load signal: the registry watch of {Service} failed; retrying in {Delay}")]
    public static partial void ResolverFailed(ILogger logger, Exception exception, string service, TimeSpan delay);

    [LoggerMessage(4210, LogLevel.Information, "Autoscaler: {Reason} {Current} -> {Desired} replicas (load {Load:F1}/s from {Instances} instances, forecast {Forecast:F1}/s, capacity {Capacity:F1}/s per replica)")]
    public static partial void Decided(ILogger logger, string reason, int current, int desired, double load, int instances, double forecast, double capacity);

    [LoggerMessage(4211, LogLevel.Warning, "Autoscaler: the control tick failed; trying again at the next one")]
    public static partial void TickFailed(ILogger logger, Exception exception);
}
