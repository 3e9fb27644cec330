using Hello;
using Shoal.Client;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Client.Native;
using Shoal.Registry.Etcd;

namespace Shoal.FunctionalTests.Support;

/// <summary>
/// A registry, Greeter servers registered in it (real processes on free loopback ports), and a
/// client of <c>hello.Greeter</c> through <see cref="ShoalChannel.ForTarget"/> with p2c_ewma and
/// failover, SayHello marked idempotent. Everything is stopped on dispose.
/// </summary>
public sealed class ClusterRig : IAsyncDisposable
{
    /// <summary>The names of the registries the scenarios run against.</summary>
    public const string Embedded = "embedded";

    /// <summary>A real etcd (one member).</summary>
    public const string Etcd = "etcd";

    /// <summary>A real three-member etcd cluster (stopping it kills the leader).</summary>
    public const string EtcdCluster = "etcd-3";

    private readonly List<GreeterServer> _servers = [];

    private ClusterRig(IRegistryUnderTest registry) => Registry = registry;

    /// <summary>The registry.</summary>
    public IRegistryUnderTest Registry { get; }

    /// <summary>The servers started so far (killed ones included).</summary>
    public IReadOnlyList<GreeterServer> Servers => _servers;

    /// <summary>Attempts per instance address, below the balancer and retries.</summary>
    public AttemptCounter Attempts { get; } = new();

    /// <summary>The client's channel (after <see cref="ConnectClient"/>).</summary>
    public ShoalChannel? Channel { get; private set; }

    /// <summary>The client (after <see cref="ConnectClient"/>).</summary>
    public Greeter.GreeterClient? Client { get; private set; }

    /// <summary>Starts the registry of kind <paramref name="kind"/> and <paramref name="servers"/> servers registered in it.</summary>
    public static async Task<ClusterRig> StartAsync(string kind, int servers)
    {
        IRegistryUnderTest registry = kind switch
        {
            Embedded => await EmbeddedRegistryProcess.StartAsync(),
            Etcd => await EtcdRegistry.StartAsync(),
            EtcdCluster => await EtcdRegistry.StartAsync(members: 3),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "embedded, etcd or etcd-3"),
        };
        var rig = new ClusterRig(registry);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, servers).Select(_ => rig.AddServerAsync()));
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more server registered in the registry.</summary>
    public async Task<GreeterServer> AddServerAsync(params string[] extraArgs)
    {
        var server = await GreeterServer.StartAsync(Registry.ServerAddress, extraArgs);
        lock (_servers)
        {
            _servers.Add(server);
        }
        return server;
    }

    /// <summary>Creates the client channel for the cluster target (<c>?lb=p2c_ewma&amp;strategy=failover</c>).</summary>
    public Greeter.GreeterClient ConnectClient(Action<ShoalChannelOptions>? configure = null)
    {
        Channel = CreateChannel(Registry.TargetFor("hello.Greeter"), configure);
        Client = new Greeter.GreeterClient(Channel);
        return Client;
    }

    /// <summary>A channel for the cluster target <paramref name="target"/> with p2c_ewma, failover and SayHello idempotent; the caller disposes it.</summary>
    public ShoalChannel CreateChannel(string target, Action<ShoalChannelOptions>? configure = null)
    {
        var options = new ShoalChannelOptions().UseEtcd();
        options.ConnectionFactories.Add(new CountingConnectionFactory(new NativeConnectionFactory(options.Native), Attempts));
        options.Cluster.Methods["/hello.Greeter/SayHello"] = new MethodPolicy { Strategy = FaultToleranceNames.Failover, Idempotent = true };
        configure?.Invoke(options);
        return ShoalChannel.ForTarget($"{target}?lb={LoadBalancerNames.P2cEwma}&strategy={FaultToleranceNames.Failover}", options);
    }

    /// <summary>Waits until every live server answered at least one call started after <paramref name="from"/>.</summary>
    public async Task WaitForAllServingAsync(CallLoad load, long from, TimeSpan timeout)
    {
        foreach (var server in _servers.Where(s => !s.Process.HasExited))
        {
            var seen = await load.WaitForInstanceAsync(server.InstanceId, from, timeout);
            Assert.True(seen is not null, $"{server} got no calls within {timeout.TotalSeconds:0} s: {load.Between(from).Describe()}");
        }
    }

    /// <summary>Each endpoint's peak-EWMA latency and calls in flight as the client's balancer sees them now.</summary>
    public string DescribeEndpoints()
    {
        if (Channel?.ClusterInvoker is not Shoal.Client.Cluster.ClusterCallInvoker cluster)
        {
            return "(no cluster client)";
        }
        return string.Join("; ", cluster.Snapshot.All.Select(e =>
            FormattableString.Invariant($"{e.Instance.InstanceId}: ewma {e.PeakEwmaMilliseconds:0.00} ms, in flight {e.InFlight}, pickable {e.IsPickable}")));
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Channel is not null)
        {
            await Channel.DisposeAsync();
        }
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
        await Registry.DisposeAsync();
    }
}
