using Shoal.Instances;

namespace Shoal.Registry.Tests.Support;

/// <summary>Compares instances by value, dictionaries included (records compare dictionaries by reference).</summary>
internal sealed class InstanceComparer : IEqualityComparer<ServiceInstance>
{
    public static readonly InstanceComparer Instance = new();

    public bool Equals(ServiceInstance? x, ServiceInstance? y)
        => x is not null && y is not null
        && x.Services.SequenceEqual(y.Services)
        && x.InstanceId == y.InstanceId
        && x.Addresses.OrderBy(a => a.Key).SequenceEqual(y.Addresses.OrderBy(a => a.Key))
        && x.Zone == y.Zone && x.Version == y.Version && x.Weight == y.Weight
        && x.StartTime == y.StartTime
        && x.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).SequenceEqual(y.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal));

    public int GetHashCode(ServiceInstance obj) => obj.InstanceId.GetHashCode(StringComparison.Ordinal);
}
