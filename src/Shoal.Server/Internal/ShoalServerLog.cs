using Microsoft.Extensions.Logging;

namespace Shoal.Server.Internal;

/// <summary>Log messages of the Shoal server host.</summary>
internal static partial class ShoalServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Shoal server serving {Services} on native {NativeAddress} and gRPC {GrpcAddress}")]
    public static partial void Started(ILogger logger, string services, string nativeAddress, string grpcAddress);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Shoal server stopping: health set to NOT_SERVING, calls in flight get up to {GracePeriod}")]
    public static partial void Stopping(ILogger logger, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Shoal server started but MapShoalServices() was not called: gRPC serves no Shoal service")]
    public static partial void NotMapped(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Shoal server registered as {InstanceId} with {Registry} (lease held: {LeaseHeld})")]
    public static partial void Registered(ILogger logger, string instanceId, string registry, bool leaseHeld);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Shoal server deregistered {InstanceId}; serving {Delay} more before draining")]
    public static partial void Deregistered(ILogger logger, string instanceId, TimeSpan delay);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Shoal server could not deregister {InstanceId} in time; its lease will expire by itself")]
    public static partial void DeregisterSlow(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Shoal server draining at the request of {Peer} (admin Drain: {Reason}): deregistering, then as on SIGTERM")]
    public static partial void AdminDrain(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Shoal server refused an admin call {Method} from {Peer}: {Why}")]
    public static partial void AdminRefused(ILogger logger, string method, string peer, string why);
}
