using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shoal.Client;
using Shoal.Client.Cluster;
using Shoal.Instances;
using Shoal.Server;

namespace Shoal.FunctionalTests;

/// <summary>Cluster targets through <see cref="ShoalChannel.ForTarget"/> with no extra code, in one process on loopback port 0.</summary>
public sealed class ClusterTargetTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("static://127.0.0.1:1?lb=bogus", "lb=bogus")]
    [InlineData("static://127.0.0.1:1?strategy=retry_forever", "strategy=retry_forever")]
    [InlineData("registry://127.0.0.1:1/hello.Greeter?transport=carrier_pigeon", "transport=carrier_pigeon")]
    public void ForTarget_UnknownQueryName_ThrowsFormatExceptionNamingIt(string target, string named)
    {
        var ex = Assert.Throws<FormatException>(() => ShoalChannel.ForTarget(target));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForTarget_InvalidClusterOptions_ThrowsArgumentExceptionWithTheReason()
    {
        var options = new ShoalChannelOptions();
        options.Cluster.DefaultMethod.Retries = 99;
        var ex = Assert.Throws<ArgumentException>(() => ShoalChannel.ForTarget("static://127.0.0.1:1", options));
        Assert.Contains("Retries", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForTarget_QueryOptions_AreAppliedToACopyOfTheChannelsClusterOptions()
    {
        var options = new ShoalChannelOptions();
        await using var channel = ShoalChannel.ForTarget("static://127.0.0.1:1?lb=round_robin&strategy=failfast&transport=grpc&zone=z1", options);
        var cluster = Assert.IsType<ClusterCallInvoker>(channel.ClusterInvoker);
        Assert.Equal("static", cluster.Service);
        // The options object the caller passed is left as it was.
        Assert.Equal("p2c_ewma", options.Cluster.LoadBalancing.Policy);
        Assert.Equal("failover", options.Cluster.DefaultMethod.Strategy);
        Assert.Empty(options.Cluster.Transports);
    }

    [Fact]
    public async Task StaticTarget_TwoServers_RoundRobinReachesBoth()
    {
        await using var first = await StartGreeterAsync(registry: null);
        await using var second = await StartGreeterAsync(registry: null);
        var a = first.GetShoalAddresses().Native!.Authority;
        var b = second.GetShoalAddresses().Native!.Authority;
        var counter = new Support.AttemptCounter();
        var options = new ShoalChannelOptions();
        options.ConnectionFactories.Add(new Support.CountingConnectionFactory(new Shoal.Client.Native.NativeConnectionFactory(options.Native), counter));
        await using var channel = ShoalChannel.ForTarget($"static://{a},{b}?lb=round_robin", options);
        var client = new Greeter.GreeterClient(channel);
        // Round robin takes the endpoints that are ready: wait until both connections are (bounded), so a
        // connection that comes up a few milliseconds after the other on a busy machine does not decide the count.
        var cluster = Assert.IsType<ClusterCallInvoker>(channel.ClusterInvoker);
        var deadline = DateTime.UtcNow + Timeout;
        while (cluster.Snapshot.Ready.Length < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        Assert.True(cluster.Snapshot.Ready.Length == 2, $"{cluster.Snapshot.Ready.Length} of 2 endpoints ready after {Timeout.TotalSeconds:F0} s");
        for (var i = 0; i < 20; i++)
        {
            var reply = await client.SayHelloAsync(new HelloRequest { Name = "rr" }, deadline: DateTime.UtcNow + Timeout);
            Assert.Equal("Hello rr", reply.Message);
        }
        Assert.True(counter.CountFor($"shoal://{a}") >= 5 && counter.CountFor($"shoal://{b}") >= 5,
            $"round robin: {counter.CountFor($"shoal://{a}")} and {counter.CountFor($"shoal://{b}")} calls");
    }

    [Fact]
    public async Task RegistryTarget_ServerRegisteredWithTheEmbeddedRegistry_IsCalledAndLeavesOnGracefulStop()
    {
        await using var registry = await StartRegistryAsync();
        var registryAddress = $"registry://{registry.GetShoalAddresses().Native!.Authority}";
        var greeter = await StartGreeterAsync(registryAddress);
        await using var channel = ShoalChannel.ForTarget($"{registryAddress}/hello.Greeter?lb=p2c_ewma&strategy=failover");
        var client = new Greeter.GreeterClient(channel);
        var reply = await client.SayHelloAsync(new HelloRequest { Name = "cluster" }, deadline: DateTime.UtcNow + Timeout);
        Assert.Equal("Hello cluster", reply.Message);
        var cluster = Assert.IsType<ClusterCallInvoker>(channel.ClusterInvoker);
        var instance = Assert.Single(cluster.Snapshot.All).Instance;
        Assert.Equal(["hello.Greeter", "hello.GreeterStreams"], instance.Services.Order(StringComparer.Ordinal));
        Assert.Equal(greeter.GetShoalAddresses().Native, instance.AddressFor(TransportKind.Native));
        Assert.Equal(greeter.GetShoalAddresses().Grpc, instance.AddressFor(TransportKind.Grpc));
        Assert.Equal("zone-a", instance.Zone);
        Assert.Equal(42, instance.Weight);

        // A graceful stop deregisters before it drains: the client sees the instance go.
        var stopping = greeter.StopAsync();
        var deadline = DateTime.UtcNow + Timeout;
        while (cluster.Snapshot.All.Length != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Empty(cluster.Snapshot.All);
        Assert.False(stopping.IsCompleted, "the server stopped before its deregister delay");
        await stopping.WaitAsync(Timeout);
        await greeter.DisposeAsync();
    }

    [Fact]
    public void ClientConfiguration_ClusterSection_BindsTargetAndClusterOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shoal:Clients:Greeter:Target"] = "registry://127.0.0.1:7070/hello.Greeter",
            ["Shoal:Clients:Greeter:Channel:Cluster:Zone"] = "eu-1",
            ["Shoal:Clients:Greeter:Channel:Cluster:LoadBalancing:Policy"] = "least_request",
            ["Shoal:Clients:Greeter:Channel:Cluster:Methods:/hello.Greeter/SayHello:Idempotent"] = "true",
            ["Shoal:Clients:Greeter:Channel:Cluster:Methods:/hello.Greeter/SayHello:Strategy"] = "hedging",
            ["Shoal:Clients:Greeter:Channel:Cluster:RetryBudget:Ratio"] = "0.1",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddShoalClient<Greeter.GreeterClient>();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<ShoalClientOptions>>().Get(typeof(Greeter.GreeterClient).FullName);
        Assert.Equal("registry://127.0.0.1:7070/hello.Greeter", options.Target);
        Assert.Equal("eu-1", options.Channel.Cluster.Zone);
        Assert.Equal("least_request", options.Channel.Cluster.LoadBalancing.Policy);
        var method = options.Channel.Cluster.Methods["/hello.Greeter/SayHello"];
        Assert.True(method.Idempotent);
        Assert.Equal("hedging", method.Strategy);
        Assert.Equal(0.1, options.Channel.Cluster.RetryBudget.Ratio);
    }

    private static async Task<WebApplication> StartGreeterAsync(string? registry)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddShoalServer(o =>
        {
            o.TcpPort = 0;
            o.GrpcPort = 0;
            o.Registry = registry;
            o.Zone = "zone-a";
            o.Weight = 42;
            o.DeregisterDelay = TimeSpan.FromSeconds(1);
        }).AddService<GreeterService>().AddService<GreeterStreamsService>();
        var app = builder.Build();
        app.MapShoalServices();
        await app.StartAsync();
        return app;
    }

    private static async Task<WebApplication> StartRegistryAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddShoalServer(o =>
        {
            o.TcpPort = 0;
            o.GrpcPort = -1;
        }).AddEmbeddedRegistry();
        var app = builder.Build();
        app.MapShoalServices();
        await app.StartAsync();
        return app;
    }
}
