using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Client.Discovery.Internal;

/// <summary>
/// What a watcher of the store needs to move to <see cref="Version"/>: either the whole set
/// (<see cref="Full"/>, for a new watcher or one that fell behind the change log) or a delta on
/// <see cref="BaseVersion"/> (instances added or replaced by id, ids removed). A delta with no
/// changes (base = version) only carries a new <see cref="Recovering"/> state.
/// </summary>
internal sealed class InstanceSetChange
{
    private InstanceSetChange(InstanceSet? full, long baseVersion, long version, IReadOnlyList<ServiceInstance> upserted, IReadOnlyList<string> removed, bool recovering)
    {
        Full = full;
        BaseVersion = baseVersion;
        Version = version;
        Upserted = upserted;
        Removed = removed;
        Recovering = recovering;
    }

    /// <summary>The whole set, or null for a delta.</summary>
    public InstanceSet? Full { get; }

    /// <summary>The version a delta applies to (the version of the last change the watcher received).</summary>
    public long BaseVersion { get; }

    /// <summary>The version after this change.</summary>
    public long Version { get; }

    /// <summary>Instances added or replaced (by instance id) since <see cref="BaseVersion"/>.</summary>
    public IReadOnlyList<ServiceInstance> Upserted { get; }

    /// <summary>Ids of instances removed since <see cref="BaseVersion"/>.</summary>
    public IReadOnlyList<string> Removed { get; }

    /// <summary>Whether the store was in its startup grace period when the change was taken.</summary>
    public bool Recovering { get; }

    public static InstanceSetChange Snapshot(InstanceSet set, bool recovering)
        => new(set, 0, set.Version, [], [], recovering);

    public static InstanceSetChange Delta(long baseVersion, long version, IReadOnlyList<ServiceInstance> upserted, IReadOnlyList<string> removed, bool recovering)
        => new(null, baseVersion, version, upserted, removed, recovering);
}
