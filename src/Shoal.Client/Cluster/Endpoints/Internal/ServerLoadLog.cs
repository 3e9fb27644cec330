using Microsoft.Extensions.Logging;

namespace Shoal.Client.Cluster.Endpoints.Internal;

/// <summary>The log lines of server load watching, with stable event ids (3040–3049).</summary>
internal static partial class ServerLoadLog
{
    [LoggerMessage(3040, LogLevel.Information, "Service {Service}: {Endpoint} serves no load reports (Unimplemented); balancing it on client feedback only.")]
    public static partial void Unimplemented(ILogger logger, string service, string endpoint);

    [LoggerMessage(3041, LogLevel.Debug, "Service {Service}: the load report watch of {Endpoint} ended; watching again in {Delay}.")]
    public static partial void WatchEnded(ILogger logger, string service, string endpoint, TimeSpan delay);

    [LoggerMessage(3042, LogLevel.Debug, "Service {Service}: the load report watch of {Endpoint} failed; watching again in {Delay}.")]
    public static partial void WatchFailed(ILogger logger, string service, string endpoint, TimeSpan delay, Exception exception);

    [LoggerMessage(3043, LogLevel.Warning, "Service {Service}: stopping the load report watch of {Endpoint} failed.")]
    public static partial void StopFailed(ILogger logger, string service, string endpoint, Exception exception);
}
