using Hello;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Client;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Client;

public sealed class ShoalClientServiceCollectionTests
{
    [Fact]
    public async Task AddShoalClient_TargetFromConfiguration_ClientCallsTheServer()
    {
        await using var host = await TestHost.StartAsync(only: TestTransport.Grpc);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Shoal:Clients:Greeter:Target"] = host.Target(TestTransport.Grpc) })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddShoalClient<Greeter.GreeterClient>();
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<Greeter.GreeterClient>();
        var reply = await client.SayHelloAsync(new HelloRequest { Name = "di" }, deadline: TestHost.Deadline());

        Assert.Equal("Hello di", reply.Message);
        Assert.NotSame(client, provider.GetRequiredService<Greeter.GreeterClient>());
    }

    [Fact]
    public async Task AddShoalClient_ExplicitTargetAndInterceptor_WinOverConfiguration()
    {
        await using var host = await TestHost.StartAsync(only: TestTransport.Grpc);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Shoal:Clients:Greeter:Target"] = "http://127.0.0.1:1" })
            .Build();
        var interceptor = new HeaderClientInterceptor();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddShoalClient<Greeter.GreeterClient>(host.Target(TestTransport.Grpc), o => o.Interceptors.Add(interceptor));
        await using var provider = services.BuildServiceProvider();

        var reply = await provider.GetRequiredService<Greeter.GreeterClient>().SayHelloAsync(new HelloRequest { Name = "explicit" }, deadline: TestHost.Deadline());

        Assert.Equal("Hello explicit", reply.Message);
        Assert.Equal(1, interceptor.Calls);
    }

    [Fact]
    public async Task AddShoalClient_NoTarget_ResolvingTheClientSaysWhichKeyToSet()
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddShoalClient<Greeter.GreeterClient>();
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<Greeter.GreeterClient>());

        Assert.Contains("Shoal:Clients:Greeter:Target", error.Message, StringComparison.Ordinal);
    }
}
