using Microsoft.Extensions.Logging;

namespace Shoal.Client.Discovery.Internal;

/// <summary>The registry's log lines, with stable event ids.</summary>
internal static partial class RegistryLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "{Kind} resolver lost its source while watching {Service}; serving the last known set ({Count} instances) and retrying.")]
    public static partial void WatchFailed(ILogger logger, string kind, string service, int count, Exception exception);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Kind} resolver is watching {Service} again.")]
    public static partial void WatchRecovered(ILogger logger, string kind, string service);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "{Kind} resolver: the watch of {Service} was compacted at revision {Revision}; listing again.")]
    public static partial void WatchCompacted(ILogger logger, string kind, string service, long revision);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "{Kind} resolver: the registry refused to let this client watch {Service}; the watch has ended.")]
    public static partial void WatchRejected(ILogger logger, string kind, string service, Exception exception);

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "{Kind} registry: registered {InstanceId} under lease {LeaseId}.")]
    public static partial void Registered(ILogger logger, string kind, string instanceId, long leaseId);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "{Kind} registry: could not register {InstanceId}; retrying.")]
    public static partial void RegisterFailed(ILogger logger, string kind, string instanceId, Exception exception);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "{Kind} registry: keepalive of {InstanceId} failed; retrying.")]
    public static partial void KeepAliveFailed(ILogger logger, string kind, string instanceId, Exception exception);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "{Kind} registry: keepalive of {InstanceId} still failing: {Failures} more failures, {Outage} since the first; last error: {Error}")]
    public static partial void KeepAliveStillFailing(ILogger logger, string kind, string instanceId, int failures, TimeSpan outage, string error);

    [LoggerMessage(EventId = 206, Level = LogLevel.Information, Message = "{Kind} registry: keepalive of {InstanceId} works again after {Failures} failures in {Outage}.")]
    public static partial void KeepAliveRecovered(ILogger logger, string kind, string instanceId, int failures, TimeSpan outage);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "{Kind} registry: the lease of {InstanceId} is gone (expired or the registry restarted); registering again.")]
    public static partial void LeaseLost(ILogger logger, string kind, string instanceId);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "{Kind} registry: could not deregister {InstanceId}; its lease will expire by itself.")]
    public static partial void DeregisterFailed(ILogger logger, string kind, string instanceId, Exception exception);

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "DNS resolver: resolving {Name} failed; serving the last known set and retrying.")]
    public static partial void DnsResolveFailed(ILogger logger, string name, Exception exception);

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Embedded registry: {Method} from {Peer} rejected: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string method, string peer, string reason);
}
