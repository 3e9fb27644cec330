using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Grpc.Core;
using Shoal.Client.Cluster;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Instances;

namespace Shoal.Benchmarks.Cluster;

/// <summary>
/// One pick per operation for every built-in policy over 10, 1,000 and 10,000 endpoints with
/// uneven weights and some load, as the call path sees it: must allocate nothing and grow at most
/// logarithmically with the number of endpoints.
/// </summary>
[MemoryDiagnoser]
public class PickBenchmarks
{
    private const int Keys = 1024;

    private IPicker _picker = null!;
    private Metadata[] _headers = null!;
    private int _next;

    [Params(LoadBalancerNames.RoundRobin, LoadBalancerNames.Random, LoadBalancerNames.LeastRequest, LoadBalancerNames.P2cEwma, LoadBalancerNames.ConsistentHash)]
    public string Policy { get; set; } = LoadBalancerNames.P2cEwma;

    [Params(10, 1_000, 10_000)]
    public int Endpoints { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;
        var endpoints = new ClusterEndpoint[Endpoints];
        var weights = new int[Endpoints];
        for (var i = 0; i < Endpoints; i++)
        {
            var address = new Uri($"shoal://10.0.{i / 250}.{i % 250}:7000");
            var instance = new ServiceInstance
            {
                Services = ["hello.Greeter"],
                InstanceId = $"i-{i}",
                Addresses = ImmutableDictionary<TransportKind, Uri>.Empty.Add(TransportKind.Native, address),
                Weight = 50 + (i % 100),
            };
            endpoints[i] = new ClusterEndpoint(instance, new BenchConnection(address), time);
            weights[i] = instance.Weight;
            // Some load feedback so that load-aware policies compare real numbers.
            for (var c = 0; c < i % 4; c++)
            {
                endpoints[i].Start();
            }
            endpoints[i].Start();
            endpoints[i].Complete(TimeSpan.FromMilliseconds(1 + (i % 17)), true);
        }
        var options = new LoadBalancingOptions { Policy = Policy };
        var factory = ClusterFactories.BuiltInLoadBalancers().Single(f => f.Name == Policy);
        var balancer = factory.Create(new LoadBalancerContext("hello.Greeter", options, time, Random.Shared));
        _picker = balancer.CreatePicker(new WeightedEndpoints(endpoints, weights));
        _headers = Enumerable.Range(0, Keys).Select(k => new Metadata { { options.HashHeader, $"user-{k}" } }).ToArray();
    }

    [Benchmark]
    public ClusterEndpoint? Pick()
    {
        var headers = _headers[_next++ & (Keys - 1)];
        return _picker.Pick(new PickContext("/hello.Greeter/SayHello", headers)).Endpoint;
    }
}
