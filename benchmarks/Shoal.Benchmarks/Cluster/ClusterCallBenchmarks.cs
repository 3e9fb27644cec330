using BenchmarkDotNet.Attributes;
using Grpc.Core;
using Hello;
using Shoal.Client;
using Shoal.Client.Cluster;
using Shoal.Connections;
using Shoal.Client.Discovery.Static;

namespace Shoal.Benchmarks.Cluster;

/// <summary>
/// What the cluster client adds to one unary call, with the transport taken out: the same
/// observing connection answers at once (as the native client's connection does, it reports the
/// call's end to its observer first), called directly (the baseline) and through a
/// <see cref="ClusterCallInvoker"/> over one <c>static://</c> instance with the default
/// <c>p2c_ewma</c> and <c>failover</c>, as <c>shoal bench --compare</c>'s <c>shoal-cluster</c> run.
/// The difference is the cluster's cost per call: time and bytes. <see cref="DirectChannel"/> and
/// <see cref="ClusterChannel"/> make the same calls through a <see cref="ShoalChannel"/>'s invoker (what a
/// generated client gets), <c>shoal://</c> and <c>static://</c> over the same kind of connection: what the
/// channel adds on each path (propagation and tracing invokers on the direct one; on the cluster one, only
/// the cluster invoker's test of whether a call needs them).
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
    private ShoalChannel _directChannel = null!;
    private ShoalChannel _clusterChannel = null!;
    private CallInvoker _directChannelInvoker = null!;
    private CallInvoker _clusterChannelInvoker = null!;

    [GlobalSetup]
    public void Setup()
    {
        var reply = new HelloReply { Message = "Hello world" };
        var factory = new InstantConnectionFactory(reply);
        _cluster = new ClusterCallInvoker("hello.Greeter", new StaticServiceResolver(["127.0.0.1:7000"]), [factory]);
        _cluster.StartAsync().GetAwaiter().GetResult();
        WaitUntilReady(_cluster);
        _connection = factory.Last!;

        _directChannel = ShoalChannel.ForTarget("shoal://127.0.0.1:7000", WithFactory(new InstantConnectionFactory(reply)));
        _directChannelInvoker = _directChannel.CreateCallInvoker();
        _clusterChannel = ShoalChannel.ForTarget("static://127.0.0.1:7000", WithFactory(new InstantConnectionFactory(reply)));
        _clusterChannelInvoker = _clusterChannel.CreateCallInvoker();
        WaitUntilReady((ClusterCallInvoker)_clusterChannel.ClusterInvoker!);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _directChannel.Dispose();
        _clusterChannel.Dispose();
    }

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

    [Benchmark]
    public string DirectChannel()
    {
        using var call = _directChannelInvoker.AsyncUnaryCall(SayHello, null, default, _request);
        return call.ResponseAsync.GetAwaiter().GetResult().Message;
    }

    [Benchmark]
    public string ClusterChannel()
    {
        using var call = _clusterChannelInvoker.AsyncUnaryCall(SayHello, null, default, _request);
        return call.ResponseAsync.GetAwaiter().GetResult().Message;
    }

    private static ShoalChannelOptions WithFactory(IConnectionFactory factory)
    {
        var options = new ShoalChannelOptions();
        options.ConnectionFactories.Add(factory);
        return options;
    }

    private static void WaitUntilReady(ClusterCallInvoker cluster)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (cluster.Snapshot.Ready.IsEmpty)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The instance never became ready.");
            }
            Thread.Sleep(10);
        }
    }
}
