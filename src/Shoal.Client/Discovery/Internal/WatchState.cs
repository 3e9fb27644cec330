using System.Collections.Immutable;
using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Client.Discovery.Internal;

/// <summary>
/// What one watch of the embedded registry holds between messages: the registry's current set
/// (by instance id, with the message each instance came from), the last set handed out, and the
/// set from before a broken stream. Turns each message, whole set or delta, into the next full
/// <see cref="InstanceSet"/>.
/// </summary>
/// <remarks>
/// A delta costs the conversion of the instances it names plus one copy of the references into the
/// new immutable array; a whole set (on every new stream) reuses the instance converted earlier
/// for every unchanged message, so a reconnect to a registry of 10,000 instances does not parse
/// 10,000 addresses again.
/// </remarks>
internal sealed class WatchState(string service)
{
    private Dictionary<string, Known> _current = new(StringComparer.Ordinal);
    private InstanceSet? _carried;
    private long _lastServerVersion = -1;
    private string _registryId = "";
    private bool _synced;

    /// <summary>The last set handed out, or null before the first.</summary>
    public InstanceSet? Last { get; private set; }

    /// <summary>The stream broke: keep the last set to merge while the registry recovers, and expect a whole set next.</summary>
    public void StreamBroken()
    {
        _carried ??= Last;
        _synced = false;
    }

    /// <summary>
    /// Applies <paramref name="message"/> and returns the full set it leads to. Throws
    /// <see cref="InvalidOperationException"/> for a delta that does not apply to what this watch
    /// holds (the caller watches again and gets a whole set).
    /// </summary>
    public InstanceSet Apply(InstanceSetMessage message)
    {
        if (message.RegistryId != _registryId)
        {
            // Another run of the registry: its counter is not comparable with the last one.
            _registryId = message.RegistryId;
            _lastServerVersion = -1;
        }
        if (message.Delta)
        {
            ApplyDelta(message);
        }
        else
        {
            ApplyWhole(message);
        }
        var set = ToSet(message);
        if (!message.Recovering)
        {
            _carried = null;
        }
        Last = set;
        return set;
    }

    private void ApplyDelta(InstanceSetMessage message)
    {
        if (!_synced || message.BaseVersion != _lastServerVersion)
        {
            throw new InvalidOperationException(
                $"The registry sent a delta on version {message.BaseVersion} of '{service}' while this watch holds version {_lastServerVersion}; watching again for the whole set.");
        }
        foreach (var id in message.RemovedIds)
        {
            _current.Remove(id);
        }
        foreach (var instance in message.Instances)
        {
            _current[instance.InstanceId] = new Known(instance, InstanceMessages.FromMessage(instance));
        }
    }

    private void ApplyWhole(InstanceSetMessage message)
    {
        var next = new Dictionary<string, Known>(message.Instances.Count, StringComparer.Ordinal);
        foreach (var instance in message.Instances)
        {
            next[instance.InstanceId] = _current.TryGetValue(instance.InstanceId, out var known) && known.Message.Equals(instance)
                ? known
                : new Known(instance, InstanceMessages.FromMessage(instance));
        }
        _current = next;
        _synced = true;
    }

    /// <summary>
    /// The set a consumer sees. Versions never go back, even when the registry restarted and counts
    /// from zero again. After a broken stream, a set sent while the registry is recovering (it
    /// restarted and its servers are still registering again) is merged with the set from before
    /// the break, so instances that have not come back yet stay until the grace period ends.
    /// </summary>
    private InstanceSet ToSet(InstanceSetMessage message)
    {
        var merge = message.Recovering ? _carried : null;
        var instances = ImmutableArray.CreateBuilder<ServiceInstance>(_current.Count + (merge?.Instances.Length ?? 0));
        foreach (var known in _current.Values)
        {
            instances.Add(known.Instance);
        }
        if (merge is not null)
        {
            foreach (var previous in merge.Instances)
            {
                if (!_current.ContainsKey(previous.InstanceId))
                {
                    instances.Add(previous);
                }
            }
        }

        var lastVersion = Last?.Version ?? 0;
        long version;
        if (message.Version == _lastServerVersion && Last is not null)
        {
            version = lastVersion;
        }
        else if (message.Version > _lastServerVersion && _lastServerVersion >= 0)
        {
            version = lastVersion + (message.Version - _lastServerVersion);
        }
        else
        {
            version = Math.Max(message.Version, lastVersion + 1);
        }
        _lastServerVersion = message.Version;
        return new InstanceSet(service, version, instances.DrainToImmutable());
    }

    private readonly record struct Known(Instance Message, ServiceInstance Instance);
}
