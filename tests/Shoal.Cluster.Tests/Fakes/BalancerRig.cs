using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Cluster;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Client.Cluster.LoadBalancing.Internal;
using Shoal.Instances;

namespace Shoal.Cluster.Tests.Fakes;

/// <summary>A directory and a balancer host over fake connections and fake time, for picker tests.</summary>
public sealed class BalancerRig : IAsyncDisposable
{
    private readonly BalancerHost _host;

    public BalancerRig(string policy, LoadBalancingOptions? options = null, string zone = "", int seed = 1, Random? random = null,
        IEndpointLoadReporter? loadReporter = null)
    {
        Options = options ?? new LoadBalancingOptions { WarmupPeriod = TimeSpan.Zero };
        Options.Policy = policy;
        var factory = ClusterFactories.BuiltInLoadBalancers().Single(f => f.Name == policy);
        var balancer = factory.Create(new LoadBalancerContext(TestInstances.Service, Options, Time, random ?? new Random(seed)));
        _host = new BalancerHost(balancer, Options, zone, Time);
        Directory = new ClusterDirectory(TestInstances.Service, new FakeResolver(), [Factory],
            new ClusterDirectoryOptions
            {
                EwmaDecay = Options.EwmaDecay,
                LoadReporter = loadReporter,
                Random = new Random(seed),
                LocalZone = Options.PreferLocalZone ? zone : null,
            }, Time);
        Directory.SnapshotChanged += _host.Update;
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeConnectionFactory Factory { get; } = new();

    public LoadBalancingOptions Options { get; }

    public ClusterDirectory Directory { get; }

    public IPicker Picker => _host.Current;

    private long _version;

    public void Apply(params ServiceInstance[] instances) => Directory.Apply(TestInstances.Set(++_version, instances));

    public ClusterEndpoint Endpoint(int port) => Directory.Snapshot.All.Single(e => e.Address == TestInstances.Native(port));

    public FakeConnection Connection(int port) => Factory.Connections[TestInstances.Native(port)];

    /// <summary>Picks <paramref name="count"/> times without load feedback.</summary>
    public Dictionary<int, int> Pick(int count, Func<int, Metadata?>? headers = null)
    {
        var counts = new Dictionary<int, int>();
        for (var i = 0; i < count; i++)
        {
            var result = Picker.Pick(new PickContext("/hello.Greeter/SayHello", headers?.Invoke(i)));
            Assert.Equal(PickResultType.Endpoint, result.Type);
            var port = result.Endpoint!.Address.Port;
            counts[port] = counts.GetValueOrDefault(port) + 1;
        }
        return counts;
    }

    /// <summary>
    /// Runs <paramref name="count"/> calls with <paramref name="concurrency"/> in flight on fake
    /// time: each pick starts a call that completes after the endpoint's latency; the oldest
    /// completion is processed (advancing time) whenever the window is full.
    /// </summary>
    public Dictionary<int, int> Simulate(int count, int concurrency, Func<int, TimeSpan> latencyOfPort, Func<int, Metadata?>? headers = null)
    {
        var counts = new Dictionary<int, int>();
        var outstanding = new PriorityQueue<(ClusterEndpoint Endpoint, TimeSpan Latency), DateTimeOffset>();
        for (var i = 0; i < count; i++)
        {
            while (outstanding.Count >= concurrency)
            {
                CompleteNext(outstanding);
            }
            var result = Picker.Pick(new PickContext("/hello.Greeter/SayHello", headers?.Invoke(i)));
            Assert.Equal(PickResultType.Endpoint, result.Type);
            var endpoint = result.Endpoint!;
            var port = endpoint.Address.Port;
            counts[port] = counts.GetValueOrDefault(port) + 1;
            result.Tracker!.Start();
            var latency = latencyOfPort(port);
            outstanding.Enqueue((endpoint, latency), Time.GetUtcNow() + latency);
        }
        while (outstanding.Count > 0)
        {
            CompleteNext(outstanding);
        }
        return counts;
    }

    public static Metadata KeyHeader(string key) => new() { { "x-shoal-hash-key", key } };

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await Directory.DisposeAsync();
    }

    private void CompleteNext(PriorityQueue<(ClusterEndpoint Endpoint, TimeSpan Latency), DateTimeOffset> outstanding)
    {
        outstanding.TryDequeue(out var call, out var due);
        var now = Time.GetUtcNow();
        if (due > now)
        {
            Time.Advance(due - now);
        }
        call.Endpoint.Complete(call.Latency, success: true);
    }
}
