using Microsoft.Extensions.Logging;

namespace Shoal.Registry.Etcd.Internal;

/// <summary>The etcd registry's own log lines (the shared ones are in the registry's log class).</summary>
internal static partial class EtcdLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "etcd registry: the value under {Key} is not an instance; skipped.")]
    public static partial void BadValue(ILogger logger, string key, Exception exception);
}
