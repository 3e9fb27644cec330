using Microsoft.Extensions.Logging;

namespace Shoal.Hosting.Internal;

/// <summary>Log messages of the Shoal server host.</summary>
internal static partial class ShoalServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Shoal server serving {Services} on native {NativeAddress} and gRPC {GrpcAddress}")]
    public static partial void Started(ILogger logger, string services, string nativeAddress, string grpcAddress);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Shoal server stopping: health set to NOT_SERVING, calls in flight get up to {GracePeriod}")]
    public static partial void Stopping(ILogger logger, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Shoal server started but MapShoalServices() was not called: gRPC serves no Shoal service")]
    public static partial void NotMapped(ILogger logger);
}
