using Grpc.Core;
using Hello;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Client;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Server;

public sealed class InterceptorTests
{
    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task ServerAndClientInterceptors_EveryCall_RunOnBothSides(TestTransport transport)
    {
        await using var host = await TestHost.StartAsync(only: transport, services: s => s
            .AddService<GreeterService>()
            .AddService<GreeterStreamsService>()
            .AddInterceptor<RecordingServerInterceptor>());
        var client = new HeaderClientInterceptor();
        var options = new ShoalChannelOptions();
        options.Interceptors.Add(client);
        await using var channel = host.Channel(transport, options);

        using var unary = new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "a" }, deadline: TestHost.Deadline());
        Assert.Equal("Hello a", (await unary).Message);
        Assert.Equal("yes", (await unary.ResponseHeadersAsync).GetValue(RecordingServerInterceptor.ResponseHeader));

        using var many = new GreeterStreams.GreeterStreamsClient(channel).SayHelloMany(new ManyHellosRequest { Name = "b", Count = 2 }, deadline: TestHost.Deadline());
        var count = 0;
        await foreach (var _ in many.ResponseStream.ReadAllAsync())
        {
            count++;
        }
        Assert.Equal(2, count);

        var server = host.App.Services.GetRequiredService<RecordingServerInterceptor>();
        Assert.Equal(
            [("/hello.Greeter/SayHello", "on"), ("/hello.GreeterStreams/SayHelloMany", "on")],
            server.Calls.ToArray());
        Assert.Equal(2, client.Calls);
    }

    [Fact]
    public async Task OneInterceptorInstance_CallsOnBothTransports_SeesEveryCall()
    {
        await using var host = await TestHost.StartAsync(services: s => s.AddService<GreeterService>().AddInterceptor<RecordingServerInterceptor>());

        foreach (var transport in new[] { TestTransport.Native, TestTransport.Grpc })
        {
            await using var channel = host.Channel(transport);
            await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = transport.ToString() }, deadline: TestHost.Deadline());
        }

        var server = host.App.Services.GetRequiredService<RecordingServerInterceptor>();
        Assert.Equal(2, server.Calls.Count);
    }
}
