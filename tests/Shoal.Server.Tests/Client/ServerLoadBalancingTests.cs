using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shoal.Client;
using Shoal.Client.Cluster;
using Shoal.Client.Internal;
using Shoal.Server.Load;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Client;

public sealed class ServerLoadBalancingTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task ServerLoadOn_OneHostReports95PercentCpu_ItGetsTheSmallerShare(TestTransport transport)
    {
        await using var hot = await StartHostAsync(cpu: 0.95);
        await using var cool = await StartHostAsync(cpu: 0.20);
        var options = new ShoalChannelOptions();
        // A short latency memory, so one slow call on a loaded test machine does not decide the split for long.
        options.Cluster.LoadBalancing.EwmaDecay = TimeSpan.FromSeconds(1);
        await using var channel = ShoalChannel.ForTarget(StaticTarget(transport, hot, cool) + "&serverload=true", options);
        var invoker = (ClusterCallInvoker)channel.ClusterInvoker!;
        await UntilAsync(() => invoker.Snapshot.Ready.Length == 2 && invoker.Snapshot.Ready.All(e => e.ServerLoad is not null), "both hosts' load reports");
        Assert.Contains(invoker.Snapshot.Ready, e => e.ServerLoad!.Utilization > 0.9);

        var client = new Greeter.GreeterClient(channel);
        await RunAsync(client, workers: 4, callsEach: 25);

        // A round can be swayed by a pause of the test machine (a slow call holds its peak-EWMA
        // latency up for a while, and the busy host then takes the calls); the busy host must get
        // under a third in one of five rounds, a decay time apart, where without server load every
        // round splits about evenly.
        const int workers = 4;
        const int callsEach = 100;
        var rounds = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            var hotBefore = Greeter(hot).Calls;
            var coolBefore = Greeter(cool).Calls;
            await RunAsync(client, workers, callsEach);
            var hotCalls = Greeter(hot).Calls - hotBefore;
            var coolCalls = Greeter(cool).Calls - coolBefore;
            Assert.Equal(workers * callsEach, hotCalls + coolCalls);
            rounds.Add($"{hotCalls}/{hotCalls + coolCalls}");
            if (hotCalls * 3 < workers * callsEach)
            {
                return;
            }
            await Task.Delay(options.Cluster.LoadBalancing.EwmaDecay);
        }
        Assert.Fail($"the busy host got at least a third of the calls in every round: {string.Join(", ", rounds)}");
    }

    [Fact]
    public async Task ServerLoadOn_PlainGrpcServerWithoutLoadReports_WatcherStopsAndCallsGoOn()
    {
        await using var plain = await PlainGrpcServer.StartAsync();
        await using var channel = ShoalChannel.ForTarget($"static://127.0.0.1:{plain.Port}?transport=grpc&serverload=true");
        var invoker = (ClusterCallInvoker)channel.ClusterInvoker!;

        var reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "plain" }, deadline: TestHost.Deadline());

        Assert.Equal("Hello plain", reply.Message);
        var endpoint = invoker.Snapshot.All.Single();
        await UntilAsync(() => endpoint.ServerLoadUnsupported, "the watch to meet Unimplemented");
        Assert.Null(endpoint.ServerLoad);
        reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "again" }, deadline: TestHost.Deadline());
        Assert.Equal("Hello again", reply.Message);
    }

    [Fact]
    public async Task AddShoalClient_UseServerLoadFromConfiguration_WatchesTheHostsLoad()
    {
        await using var host = await StartHostAsync(cpu: 0.5);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shoal:Clients:Greeter:Target"] = StaticTarget(TestTransport.Native, host),
            ["Shoal:Clients:Greeter:Channel:Cluster:LoadBalancing:UseServerLoad"] = "true",
        }).Build());
        services.AddShoalClient<Greeter.GreeterClient>();
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<Greeter.GreeterClient>();
        await client.SayHelloAsync(new HelloRequest { Name = "configured" }, deadline: TestHost.Deadline());

        var invoker = (ClusterCallInvoker)provider.GetRequiredService<ShoalClientChannel<Greeter.GreeterClient>>().Channel.ClusterInvoker!;
        await UntilAsync(() => invoker.Snapshot.All.Single().ServerLoad is { Utilization: > 0.4 and < 0.6 }, "the host's load report");
    }

    [Theory]
    [InlineData("serverload=maybe")]
    [InlineData("serverload=")]
    public void ForTarget_BadServerLoadValue_ThrowsNamingTheKey(string query)
    {
        var error = Assert.Throws<FormatException>(() => ShoalChannel.ForTarget($"static://127.0.0.1:1?{query}"));

        Assert.Contains("serverload", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClusterTargetOptions_ServerLoadQuery_TurnsItOnWithoutChangingTheChannelsOptions()
    {
        var options = new ShoalChannelOptions();

        var cluster = ClusterTargetOptions.For(Shoal.Targets.ShoalTarget.Parse("static://127.0.0.1:1?serverload=true&lb=least_request"), options);

        Assert.True(cluster.LoadBalancing.UseServerLoad);
        Assert.Equal("least_request", cluster.LoadBalancing.Policy);
        Assert.False(options.Cluster.LoadBalancing.UseServerLoad);
    }

    private static DelayedCountingGreeter Greeter(TestHost host) => host.App.Services.GetRequiredService<DelayedCountingGreeter>();

    private static Task RunAsync(Greeter.GreeterClient client, int workers, int callsEach)
        => Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            for (var i = 0; i < callsEach; i++)
            {
                await client.SayHelloAsync(new HelloRequest { Name = "load" }, deadline: TestHost.Deadline());
            }
        }));

    private static string StaticTarget(TestTransport transport, params TestHost[] hosts)
    {
        var authorities = hosts.Select(h => new Uri(h.Target(transport)).Authority);
        return $"static://{string.Join(",", authorities)}?transport={(transport == TestTransport.Native ? "native" : "grpc")}";
    }

    /// <summary>A host whose load monitor reports <paramref name="cpu"/> of its one allotted core each window.</summary>
    private static Task<TestHost> StartHostAsync(double cpu) => TestHost.StartAsync(
        services: s => s.AddService<DelayedCountingGreeter>(),
        builder: b => b.Services.AddSingleton(sp =>
        {
            var clock = Stopwatch.StartNew();
            return new ServerLoadMonitor(
                sp.GetRequiredService<IOptions<ShoalServerOptions>>().Value.InstanceId!,
                new ServerLoadOptions { Window = Window, CpuAllotment = 1 },
                TimeProvider.System,
                sp.GetService<IMeterFactory>(),
                () => clock.Elapsed * cpu);
        }));

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 3_000 && watch.Elapsed < TestHost.Timeout; i++)
        {
            if (condition())
            {
                return;
            }
            await Task.Delay(10);
        }
        Assert.Fail($"Timed out waiting for {what}.");
    }

    /// <summary>A plain grpc-dotnet server (no Shoal, so no LoadReporter) on 127.0.0.1, port chosen by the OS.</summary>
    private sealed class PlainGrpcServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private PlainGrpcServer(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public static async Task<PlainGrpcServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
            builder.Services.AddGrpc();
            var app = builder.Build();
            app.MapGrpcService<GreeterService>();
            await app.StartAsync().WaitAsync(TestHost.Timeout);
            var address = app.Urls.Select(u => new Uri(u)).First();
            return new PlainGrpcServer(app, address.Port);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _app.StopAsync().WaitAsync(TestHost.Timeout);
            }
            finally
            {
                await _app.DisposeAsync();
            }
        }
    }
}
