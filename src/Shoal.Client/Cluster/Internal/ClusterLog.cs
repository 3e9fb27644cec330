using Grpc.Core;
using Microsoft.Extensions.Logging;
using Shoal.Connections;

namespace Shoal.Client.Cluster.Internal;

/// <summary>The cluster client's log lines, with stable event ids (3000–3099).</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(3000, LogLevel.Warning, "Service {Service}: the resolver is unreachable; keeping the last instance set (version {Version}).")]
    public static partial void StaleInstanceSet(ILogger logger, string service, long version);

    [LoggerMessage(3001, LogLevel.Warning, "Service {Service}: instance {InstanceId} offers no address over a configured transport with a connection factory; skipped.")]
    public static partial void NoUsableAddress(ILogger logger, string service, string instanceId);

    [LoggerMessage(3002, LogLevel.Error, "Service {Service}: watching the resolver failed; keeping the last instance set.")]
    public static partial void WatchFailed(ILogger logger, string service, Exception exception);

    [LoggerMessage(3003, LogLevel.Warning, "Service {Service}: creating a connection to {Address} failed.")]
    public static partial void ConnectionCreateFailed(ILogger logger, string service, Uri address, Exception exception);

    [LoggerMessage(3004, LogLevel.Information, "Service {Service}: instance {InstanceId} added at {Address}.")]
    public static partial void EndpointAdded(ILogger logger, string service, string instanceId, Uri address);

    [LoggerMessage(3005, LogLevel.Information, "Service {Service}: instance {InstanceId} at {Address} left.")]
    public static partial void EndpointRemoved(ILogger logger, string service, string instanceId, Uri address);

    [LoggerMessage(3006, LogLevel.Debug, "Service {Service}: connection to {Address} is {State}.")]
    public static partial void ConnectionStateChanged(ILogger logger, string service, Uri address, ConnectionState state);

    [LoggerMessage(3007, LogLevel.Debug, "Service {Service}: connecting to {Address} failed.")]
    public static partial void ConnectFailed(ILogger logger, string service, Uri address, Exception exception);

    [LoggerMessage(3008, LogLevel.Warning, "Service {Service}: disposing the connection to {Address} failed.")]
    public static partial void ConnectionDisposeFailed(ILogger logger, string service, Uri address, Exception exception);

    [LoggerMessage(3010, LogLevel.Warning, "Service {Service}: ejected {Endpoint} until {Until:O} ({Reason}, ejection #{Count}).")]
    public static partial void Ejected(ILogger logger, string service, string endpoint, DateTimeOffset until, string reason, int count);

    [LoggerMessage(3011, LogLevel.Information, "Service {Service}: {Endpoint} is back in rotation after its ejection.")]
    public static partial void Restored(ILogger logger, string service, string endpoint);

    [LoggerMessage(3012, LogLevel.Debug, "Service {Service}: not ejecting {Endpoint}: {Ejected} of {Total} are ejected already (max {MaxPercent}%).")]
    public static partial void EjectionCapped(ILogger logger, string service, string endpoint, int ejected, int total, int maxPercent);

    [LoggerMessage(3013, LogLevel.Warning, "Service {Service}: health check of {Endpoint} says {Verdict}.")]
    public static partial void HealthChanged(ILogger logger, string service, string endpoint, string verdict);

    [LoggerMessage(3020, LogLevel.Debug, "Service {Service}: {Method} attempt on {Endpoint} failed with {Code}; retrying on another instance.")]
    public static partial void Retrying(ILogger logger, string service, string method, string endpoint, StatusCode code);

    [LoggerMessage(3021, LogLevel.Debug, "Service {Service}: {Method} not retried: the retry budget is spent.")]
    public static partial void BudgetExhausted(ILogger logger, string service, string method);

    [LoggerMessage(3022, LogLevel.Warning, "Service {Service}: {Method} failed with {Code}; swallowed by failsafe.")]
    public static partial void FailsafeSwallowed(ILogger logger, string service, string method, StatusCode code);

    [LoggerMessage(3023, LogLevel.Warning, "Service {Service}: {Method} failed with {Code}; queued for background retry (failback).")]
    public static partial void FailbackQueued(ILogger logger, string service, string method, StatusCode code);

    [LoggerMessage(3024, LogLevel.Error, "Service {Service}: {Method} dropped by failback: {Reason}.")]
    public static partial void FailbackDropped(ILogger logger, string service, string method, string reason);

    [LoggerMessage(3025, LogLevel.Warning, "Service {Service}: failsafe could not make a default {Method} response; the error is returned.")]
    public static partial void FailsafeNoDefault(ILogger logger, string service, string method, Exception exception);

    [LoggerMessage(3026, LogLevel.Debug, "Service {Service}: {Method} has idempotency_level {Level} in its contract; idempotent: {Idempotent}.")]
    public static partial void ContractIdempotency(ILogger logger, string service, string method, Google.Protobuf.Reflection.MethodOptions.Types.IdempotencyLevel level, bool idempotent);

    [LoggerMessage(3027, LogLevel.Debug, "Service {Service}: no protobuf descriptor describes {Method}; it is not idempotent unless configured.")]
    public static partial void NoContract(ILogger logger, string service, string method);

    [LoggerMessage(3028, LogLevel.Warning, "Service {Service}: reading the contract of {Method} failed; it is not idempotent unless configured.")]
    public static partial void ContractLookupFailed(ILogger logger, string service, string method, Exception exception);

    [LoggerMessage(3030, LogLevel.Error, "Service {Service}: a cluster background task failed.")]
    public static partial void BackgroundFailed(ILogger logger, string service, Exception exception);
}
