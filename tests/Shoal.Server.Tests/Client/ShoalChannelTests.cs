using Grpc.Core;
using Hello;
using Shoal.Client;
using Shoal.Connections;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Client;

public sealed class ShoalChannelTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("127.0.0.1:7000", "no scheme")]
    [InlineData("shoal://127.0.0.1", "not host:port")]
    [InlineData("http://a:1,b:2", "takes one")]
    public void ForTarget_MalformedTarget_ThrowsFormatExceptionWithTheReason(string target, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ShoalChannel.ForTarget(target));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("consul://127.0.0.1:8500/hello.Greeter", "consul")]
    [InlineData("zk://127.0.0.1:2181/hello.Greeter", "zk")]
    public void ForTarget_SchemeWithoutResolver_ThrowsNotSupportedNamingTheScheme(string target, string scheme)
    {
        var error = Assert.Throws<NotSupportedException>(() => ShoalChannel.ForTarget(target));

        Assert.Contains($"{scheme}://", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ShoalChannelOptions.ResolverFactories), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForTarget_ClusterTargetWithFactories_CallsThroughTheClusterInvokerWithInterceptors()
    {
        await using var host = await TestHost.StartAsync(only: TestTransport.Grpc);
        var cluster = new SingleAddressInvokerFactory(host.Target(TestTransport.Grpc));
        var interceptor = new HeaderClientInterceptor();
        var options = new ShoalChannelOptions { ClusterInvokerFactory = cluster };
        options.ResolverFactories.Add(new StaticResolverFactory());
        options.Interceptors.Add(interceptor);

        await using (var channel = ShoalChannel.ForTarget("static://127.0.0.1:1", options))
        {
            Assert.Null(channel.Connection);
            var reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "cluster" }, deadline: TestHost.Deadline());
            Assert.Equal("Hello cluster", reply.Message);
            Assert.Equal("static", cluster.Target!.Scheme);
            Assert.Contains(cluster.Factories!, f => f.Supports("shoal"));
            Assert.Equal(1, interceptor.Calls);
        }

        Assert.True(cluster.Disposed);
    }

    [Fact]
    public async Task ForTarget_HttpTarget_HasOneGrpcConnectionThatBecomesReady()
    {
        await using var host = await TestHost.StartAsync(only: TestTransport.Grpc);
        await using var channel = host.Channel(TestTransport.Grpc);

        Assert.NotNull(channel.Connection);
        Assert.Equal(ConnectionState.Idle, channel.Connection.State);
        await channel.Connection.ConnectAsync().AsTask().WaitAsync(TestHost.Timeout);
        Assert.Equal(ConnectionState.Ready, channel.Connection.State);
    }
}
