using Microsoft.Extensions.Logging;

namespace Shoal.Server.Native.Internal;

/// <summary>Logging of native call authorization; event ids 20-29.</summary>
internal static partial class NativeAuthorizationLog
{
    [LoggerMessage(20, LogLevel.Debug, "Native call {Method} from {Peer} refused: {Status}.")]
    public static partial void Refused(this ILogger logger, string method, string peer, Grpc.Core.StatusCode status);

    [LoggerMessage(21, LogLevel.Error, "Native call {Method} requires authorization that could not be evaluated; the call is refused.")]
    public static partial void NotEvaluated(this ILogger logger, string method, Exception exception);

    [LoggerMessage(22, LogLevel.Error, "Native call {Method} requires authorization but the server has no authorization services (AddAuthorization was not called); every call to it is refused.")]
    public static partial void NoAuthorizationServices(this ILogger logger, string method);
}
