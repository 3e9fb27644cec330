using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Cluster;
using Shoal.Instances;

namespace Shoal.Cluster.Tests.Fakes;

/// <summary>A <see cref="ClusterCallInvoker"/> over fake connections, fake time and seeded randomness, with instances applied directly.</summary>
public sealed class ClusterHarness : IAsyncDisposable
{
    public ClusterHarness(ClusterOptions? options = null, int seed = 42, IEnumerable<Google.Protobuf.Reflection.ServiceDescriptor>? serviceDescriptors = null)
    {
        Options = options ?? new ClusterOptions();
        Invoker = new ClusterCallInvoker(TestInstances.Service, Resolver, [Factory], Options, new ClusterDependencies
        {
            TimeProvider = Time,
            Random = new Random(seed),
            ServiceDescriptors = serviceDescriptors ?? [],
        });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeResolver Resolver { get; } = new();

    public FakeConnectionFactory Factory { get; } = new();

    public ClusterOptions Options { get; }

    public ClusterCallInvoker Invoker { get; }

    /// <summary>Options with ejection off and warm-up off, so strategy tests see plain behaviour; <paramref name="idempotent"/> null leaves it to the contract.</summary>
    public static ClusterOptions PlainOptions(string strategy = "failover", bool? idempotent = true, string policy = "round_robin")
    {
        var options = new ClusterOptions();
        options.OutlierEjection.Enabled = false;
        options.LoadBalancing.WarmupPeriod = TimeSpan.Zero;
        options.LoadBalancing.Policy = policy;
        options.DefaultMethod = new Shoal.Client.Cluster.FaultTolerance.MethodPolicy { Strategy = strategy, Idempotent = idempotent };
        return options;
    }

    /// <summary>Applies instances on ports 7000, 7010, … (all ready at once) and returns their native addresses.</summary>
    public Uri[] AddInstances(int count, long version = 1)
    {
        var instances = Enumerable.Range(0, count).Select(i => TestInstances.Instance(7000 + (10 * i))).ToArray();
        Invoker.Directory.Apply(TestInstances.Set(version, instances));
        return instances.Select(i => i.AddressFor(TransportKind.Native)!).ToArray();
    }

    /// <summary>Calls the unary test method; returns the response or the RpcException's status.</summary>
    public async Task<(string? Response, Status Status)> CallAsync(Method<string, string>? method = null, CallOptions options = default)
    {
        try
        {
            using var call = Invoker.AsyncUnaryCall(method ?? TestMethods.Unary, null, options, "hi");
            var response = await call.ResponseAsync.WithTimeout();
            return (response, Status.DefaultSuccess);
        }
        catch (RpcException ex)
        {
            return (null, ex.Status);
        }
    }

    public int CallsTo(Uri address) => Factory.Connections[address].TestInvoker.Calls;

    public int TotalCalls => Factory.Connections.Values.Sum(c => c.TestInvoker.Calls);

    public async ValueTask DisposeAsync()
    {
        await Invoker.DisposeAsync();
        await Resolver.DisposeAsync();
    }
}
