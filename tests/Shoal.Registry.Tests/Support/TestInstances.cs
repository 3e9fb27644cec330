using System.Collections.Immutable;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Registry.Tests.Support;

/// <summary>Builds test instances.</summary>
internal static class TestInstances
{
    public static ServiceInstance Create(string id, params string[] services) => new()
    {
        Services = [.. (services.Length == 0 ? ["hello.Greeter"] : services)],
        InstanceId = id,
        Addresses = ImmutableDictionary<TransportKind, Uri>.Empty
            .Add(TransportKind.Native, new Uri($"shoal://127.0.0.1:{7000 + (Math.Abs(id.GetHashCode()) % 1000)}"))
            .Add(TransportKind.Grpc, new Uri($"http://127.0.0.1:{8000 + (Math.Abs(id.GetHashCode()) % 1000)}")),
        Zone = "zone-a",
        Version = "1.2.3",
        Weight = 50,
        StartTime = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000),
        Metadata = ImmutableDictionary<string, string>.Empty.Add("role", "test"),
    };

    public static bool Has(this InstanceSet set, string id) => set.Instances.Any(i => i.InstanceId == id);

    public static bool HasExactly(this InstanceSet set, params string[] ids)
        => set.Instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal).SequenceEqual(ids.Order(StringComparer.Ordinal));
}
