using System.Collections.Immutable;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Cluster.Tests.Fakes;

/// <summary>Builds instances and sets for tests.</summary>
public static class TestInstances
{
    public const string Service = "hello.Greeter";

    public static ServiceInstance Instance(int port, string zone = "", int weight = 100, DateTimeOffset startTime = default, string? id = null)
        => new()
        {
            Services = [Service],
            InstanceId = id ?? $"i-{port}",
            Addresses = ImmutableDictionary<TransportKind, Uri>.Empty
                .Add(TransportKind.Native, new Uri($"shoal://127.0.0.1:{port}"))
                .Add(TransportKind.Grpc, new Uri($"http://127.0.0.1:{port + 1}")),
            Zone = zone,
            Weight = weight,
            StartTime = startTime,
        };

    public static InstanceSet Set(long version, params ServiceInstance[] instances) => new(Service, version, [.. instances]);

    public static Uri Native(int port) => new($"shoal://127.0.0.1:{port}");
}
