using Microsoft.Extensions.Logging;

namespace Shoal.Client.Native.Internal;

/// <summary>The native transport's log messages, with stable event ids.</summary>
internal static partial class NativeLog
{
    [LoggerMessage(1, LogLevel.Warning, "Native connection {ConnectionId} from {Peer} broke the protocol ({Code}): {Reason}")]
    public static partial void ProtocolError(this ILogger logger, string connectionId, string peer, Protocol.GoAwayCode code, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Native connection {ConnectionId} from {Peer} closed: {Reason}")]
    public static partial void ConnectionClosed(this ILogger logger, string connectionId, string peer, string reason);

    [LoggerMessage(3, LogLevel.Error, "Native call {Method} failed with an unhandled exception.")]
    public static partial void HandlerFailed(this ILogger logger, string method, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "Native connection {ConnectionId} from {Peer} is draining: go-away sent, {Calls} calls in flight.")]
    public static partial void Draining(this ILogger logger, string connectionId, string peer, int calls);

    [LoggerMessage(5, LogLevel.Warning, "Native connection {ConnectionId} to {Peer} missed its keepalive; closing it.")]
    public static partial void KeepAliveTimeout(this ILogger logger, string connectionId, string peer);

    [LoggerMessage(6, LogLevel.Information, "Native client connection to {Address} is {State}.")]
    public static partial void ClientState(this ILogger logger, Uri address, Shoal.Connections.ConnectionState state);

    [LoggerMessage(7, LogLevel.Warning, "Native client connection to {Address} failed: {Reason}")]
    public static partial void ClientConnectionFailed(this ILogger logger, Uri address, string reason);

    [LoggerMessage(8, LogLevel.Warning, "Native client connection to {Address} received go-away {Code}: {Detail}")]
    public static partial void ClientGoAway(this ILogger logger, Uri address, Protocol.GoAwayCode code, string detail);

    [LoggerMessage(9, LogLevel.Warning, "Native connection {ConnectionId} from {Peer} does not read its output (slower than {BytesPerSecond} bytes per second); aborting it.")]
    public static partial void ClientNotReading(this ILogger logger, string connectionId, string peer, double bytesPerSecond);

    [LoggerMessage(10, LogLevel.Warning, "Native connection {ConnectionId} from {Peer} refused: the server already has {Limit} native connections.")]
    public static partial void ConnectionRefused(this ILogger logger, string connectionId, string peer, int limit);

    [LoggerMessage(11, LogLevel.Debug, "Native connection {ConnectionId} from {Peer}: a {Type} frame of {Length} bytes did not fit in the frame budget; its call fails.")]
    public static partial void FrameOverBudget(this ILogger logger, string connectionId, string peer, Protocol.FrameType type, int length);
}
