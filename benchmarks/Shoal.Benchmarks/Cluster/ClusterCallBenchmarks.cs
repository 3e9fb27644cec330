using BenchmarkDotNet.Attributes;
using Grpc.Core;
using Hello;
using Shoal.Client.Cluster;
using Shoal.Client.Discovery.Static;

namespace Shoal.Benchmarks.Cluster;

/// <summary>
/// What the cluster client adds to one unary call, with the transport taken out: the same
/// observing connection answers at once (as the native client's connection does, it reports the
/// call's end to its observer first), called directly (the baseline) and through a
/// <see cref="ClusterCallInvoker"/> over one <c>static://</c> instance with the default
/// <c>p2c_ewma</c> and <c>failover</c>, as <c>shoal bench --compare</c>'s <c>shoal-cluster</c> run.
/// The difference is the cluster's cost per call: time and bytes.
/// </summary>
[MemoryDiagnoser]
public class ClusterCallBenchmarks
{
    private static readonly Method<HelloRequest, HelloReply> SayHello = new(MethodType.Unary, "hello.Greeter", "SayHello",
        Marshallers.Create(static (HelloRequest m) => Google.Protobuf.MessageExtensions.ToByteArray(m), HelloRequest.Parser.ParseFrom),
        Marshallers.Create(static (HelloReply m) => Google.Protobuf.MessageExtensions.ToByteArray(m), HelloReply.Parser.ParseFrom));

    private readonly HelloRequest _request = new() { Name = "world" };
    private InstantConnection _connection = null!;
    private ClusterCallInvoker _cluster = null!;

    [GlobalSetup]
    public void Setup()
    {
        var factory = new InstantConnectionFactory(new HelloReply { Message = "Hello world" });
        _cluster = new ClusterCallInvoker("hello.Greeter", new StaticServiceResolver(["127.0.0.1:7000"]), [factory]);
        _cluster.StartAsync().GetAwaiter().GetResult();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_cluster.Snapshot.Ready.IsEmpty)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The instance never became ready.");
            }
            Thread.Sleep(10);
        }
        _connection = factory.Last!;
    }

    [GlobalCleanup]
    public void Cleanup() => _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public string Direct()
    {
        using var call = _connection.Invoker.AsyncUnaryCall(SayHello, null, default, _request);
        return call.ResponseAsync.GetAwaiter().GetResult().Message;
    }

    [Benchmark]
    public string Cluster()
    {
        using var call = _cluster.AsyncUnaryCall(SayHello, null, default, _request);
        return call.ResponseAsync.GetAwaiter().GetResult().Message;
    }
}
