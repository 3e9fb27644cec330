using System.Collections.Immutable;
using Shoal.Instances;

namespace Shoal.Benchmarks.Registry;

/// <summary>Instances shaped like real servers: two addresses, zone, version, weight, start time, metadata.</summary>
internal static class BenchInstances
{
    public const string Service = "bench.Registry";

    public static ServiceInstance Create(string id, int n) => new()
    {
        Services = [Service],
        InstanceId = id,
        Addresses = ImmutableDictionary<TransportKind, Uri>.Empty
            .Add(TransportKind.Native, new Uri($"shoal://10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}:7000"))
            .Add(TransportKind.Grpc, new Uri($"http://10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}:7001")),
        Zone = $"zone-{n % 3}",
        Version = "1.4.2",
        Weight = 100,
        StartTime = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + n),
        Metadata = ImmutableDictionary<string, string>.Empty.Add("pool", "bench"),
    };
}
