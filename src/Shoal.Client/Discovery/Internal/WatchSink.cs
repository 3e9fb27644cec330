using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Shoal.Discovery;

namespace Shoal.Client.Discovery.Internal;

/// <summary>
/// Where one watch stream puts its sets: the newest goes to the consumer, a working stream resets
/// the backoff, and the first set after an outage ends it (logged once). An outage hands out the
/// last set again, marked stale, once.
/// </summary>
internal sealed class WatchSink(string service, string kind, ILogger logger, ChannelWriter<InstanceSet> writer, Backoff backoff)
{
    /// <summary>The service watched.</summary>
    public string Service => service;

    /// <summary>The last set handed out, or null before the first.</summary>
    public InstanceSet? Last { get; private set; }

    /// <summary>True from a failure until the next set.</summary>
    public bool IsStale { get; private set; }

    /// <summary>Hands out <paramref name="set"/>: the source is reachable again.</summary>
    public void Emit(InstanceSet set)
    {
        Last = set;
        Connected();
        if (IsStale)
        {
            IsStale = false;
            RegistryLog.WatchRecovered(logger, kind, service);
        }
        writer.TryWrite(set);
    }

    /// <summary>The stream works (a set may follow later): the next failure starts from the first delay.</summary>
    public void Connected() => backoff.Reset();

    internal void Fail(Exception exception)
    {
        if (IsStale)
        {
            return;
        }
        IsStale = true;
        RegistryLog.WatchFailed(logger, kind, service, Last?.Instances.Length ?? 0, exception);
        RegistryMetrics.WatchFailures.Add(1, RegistryMetrics.Kind(kind));
        writer.TryWrite((Last ?? InstanceSet.Empty(service)) with { IsStale = true });
    }

    /// <summary>Ends the watch; with <paramref name="error"/> the consumer's enumeration throws it.</summary>
    internal void Complete(Exception? error = null) => writer.TryComplete(error);
}
