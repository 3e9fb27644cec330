using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Hello;
using Shoal.Client;
using Shoal.Client.Cluster;
using Shoal.Connections;
using Shoal.Discovery;
using Shoal.Server.Tests.Infrastructure;
using Shoal.Targets;
using Shoal.Telemetry;

namespace Shoal.Server.Tests.Client;

/// <summary>
/// A cluster channel gives its callers Shoal's cluster invoker itself, which applies the channel's
/// interceptors, span and call-context propagation to the calls that need them: each still happens,
/// once, and only for the channel it belongs to.
/// </summary>
public sealed class ClusterChannelEntryTests
{
    [Fact]
    public async Task StaticTarget_CallersGetTheClusterInvoker_AndTheChannelsInterceptorSeesEveryCall()
    {
        await using var host = await TestHost.StartAsync(only: TestTransport.Native);
        var interceptor = new HeaderClientInterceptor();
        var options = new ShoalChannelOptions();
        options.Interceptors.Add(interceptor);
        await using var channel = ShoalChannel.ForTarget("static://" + new Uri(host.Target(TestTransport.Native)).Authority, options);
        var client = new Greeter.GreeterClient(channel);

        for (var i = 0; i < 3; i++)
        {
            var reply = await client.SayHelloAsync(new HelloRequest { Name = "entry" }, deadline: TestHost.Deadline());
            Assert.Equal("Hello entry", reply.Message);
        }

        Assert.Same(channel.ClusterInvoker, channel.CreateCallInvoker());
        Assert.Equal(3, interceptor.Calls);
    }

    [Fact]
    public async Task TwoChannelsOverOneClusterInvoker_EachCallRunsOnlyItsOwnChannelsInterceptor()
    {
        await using var host = await TestHost.StartAsync(only: TestTransport.Native);
        var shared = new SharedClusterFactory();
        var first = new HeaderClientInterceptor();
        var second = new HeaderClientInterceptor();
        var target = "static://" + new Uri(host.Target(TestTransport.Native)).Authority;
        await using var firstChannel = ShoalChannel.ForTarget(target, WithInterceptor(shared, first));
        await using var secondChannel = ShoalChannel.ForTarget(target, WithInterceptor(shared, second));
        Assert.Same(firstChannel.ClusterInvoker, secondChannel.ClusterInvoker);

        await new Greeter.GreeterClient(secondChannel).SayHelloAsync(new HelloRequest { Name = "b" }, deadline: TestHost.Deadline());
        Assert.Equal((0, 1), (first.Calls, second.Calls));
        await new Greeter.GreeterClient(firstChannel).SayHelloAsync(new HelloRequest { Name = "a" }, deadline: TestHost.Deadline());
        await new Greeter.GreeterClient(firstChannel).SayHelloAsync(new HelloRequest { Name = "a" }, deadline: TestHost.Deadline());

        Assert.Equal((2, 1), (first.Calls, second.Calls));
    }

    [Fact]
    public async Task StaticTarget_WithASpanListener_TheCallHasTheChannelsSpanAboveItsAttempt()
    {
        await using var host = await TestHost.StartAsync(only: TestTransport.Native);
        await using var channel = ShoalChannel.ForTarget("static://" + new Uri(host.Target(TestTransport.Native)).Authority);
        var client = new Greeter.GreeterClient(channel);
        // The connection is up first, so the call under the listener is an ordinary one.
        await client.SayHelloAsync(new HelloRequest { Name = "warm" }, deadline: TestHost.Deadline());
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ShoalTelemetry.SourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var root = new Activity("test-root").Start();

        await client.SayHelloAsync(new HelloRequest { Name = "traced" }, deadline: TestHost.Deadline());

        root.Stop();
        // Other tests may run calls meanwhile: only this trace counts.
        var ours = stopped.Where(a => a.TraceId == root.TraceId).ToList();
        var call = Assert.Single(ours, a => a.Kind == ActivityKind.Internal);
        var attempt = Assert.Single(ours, a => a.Kind == ActivityKind.Client);
        Assert.Equal(root.SpanId, call.ParentSpanId);
        Assert.Equal(call.SpanId, attempt.ParentSpanId);
    }

    private static ShoalChannelOptions WithInterceptor(IClusterInvokerFactory factory, HeaderClientInterceptor interceptor)
    {
        var options = new ShoalChannelOptions { ClusterInvokerFactory = factory };
        options.Interceptors.Add(interceptor);
        return options;
    }

    /// <summary>Builds one Shoal cluster invoker and hands the same one to every channel.</summary>
    private sealed class SharedClusterFactory : IClusterInvokerFactory
    {
        private ClusterCallInvoker? _invoker;

        public CallInvoker Create(ShoalTarget target, IServiceResolver resolver, IReadOnlyList<IConnectionFactory> connectionFactories, ShoalChannelOptions options)
        {
            if (_invoker is null)
            {
                _invoker = new ClusterCallInvoker("hello.Greeter", resolver, connectionFactories);
                _ = _invoker.StartAsync();
            }
            return _invoker;
        }
    }
}
