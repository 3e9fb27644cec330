using Shoal.Discovery;
using Shoal.Registry.Tests.Support;

namespace Shoal.Registry.Tests.Contract;

/// <summary>
/// The behaviour every registry implementation shares. One subclass per implementation supplies
/// the registry, the resolver and a way to let time pass (fake time in-process, real time over
/// the network).
/// </summary>
public abstract class ServiceRegistryContract : IAsyncLifetime
{
    protected const string Service = "hello.Greeter";

    private readonly List<IRegistration> _registrations = [];
    private readonly List<WatchProbe> _probes = [];

    protected IServiceRegistry Registry { get; private set; } = null!;

    protected IServiceResolver Resolver { get; private set; } = null!;

    /// <summary>The lease TTL the tests register with.</summary>
    protected abstract TimeSpan Ttl { get; }

    /// <summary>How long a test waits for a watcher to see a change.</summary>
    protected virtual TimeSpan EventTimeout => TimeSpan.FromSeconds(15);

    /// <summary>Starts the registry and returns its two sides.</summary>
    protected abstract Task<(IServiceRegistry Registry, IServiceResolver Resolver)> StartAsync();

    /// <summary>Stops everything <see cref="StartAsync"/> started.</summary>
    protected abstract Task StopAsync();

    /// <summary>Lets <paramref name="duration"/> pass on the registry's clock.</summary>
    protected abstract Task ElapseAsync(TimeSpan duration);

    /// <summary>Stops a registration's keepalive without deregistering, as a killed process would.</summary>
    protected abstract Task StopKeepAliveAsync(IRegistration registration);

    public async Task InitializeAsync() => (Registry, Resolver) = await StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var probe in _probes)
        {
            await probe.DisposeAsync();
        }
        foreach (var registration in _registrations)
        {
            await registration.DisposeAsync();
        }
        await StopAsync();
    }

    protected async Task<IRegistration> RegisterAsync(string id, params string[] services)
    {
        var registration = await Registry.RegisterAsync(TestInstances.Create(id, services), Ttl);
        _registrations.Add(registration);
        return registration;
    }

    private protected WatchProbe Watch(string service = Service, IServiceResolver? resolver = null)
    {
        var probe = WatchProbe.Start(resolver ?? Resolver, service);
        _probes.Add(probe);
        return probe;
    }

    [Fact]
    public async Task Register_WatcherRunning_WatcherSeesTheInstanceWithItsFields()
    {
        var probe = Watch();
        await probe.WaitForAsync(_ => true, EventTimeout, "the first set");

        await RegisterAsync("a-1");

        var set = await probe.WaitForAsync(s => s.Has("a-1"), EventTimeout, "a-1 to appear");
        Assert.False(set.IsStale);
        Assert.Equal(Service, set.Service);
        Assert.Equal(TestInstances.Create("a-1"), set.Instances.Single(i => i.InstanceId == "a-1"), InstanceComparer.Instance);
    }

    [Fact]
    public async Task Watch_InstancesAlreadyRegistered_FirstSetHoldsThem()
    {
        await RegisterAsync("a-1");
        await RegisterAsync("a-2");

        var probe = Watch();
        await probe.WaitForAsync(_ => true, EventTimeout, "the first set");

        Assert.True(probe.Seen[0].HasExactly("a-1", "a-2"), "the first set should be the current set");
    }

    [Fact]
    public async Task Deregister_RegistrationDisposed_InstanceIsGone()
    {
        var probe = Watch();
        var registration = await RegisterAsync("a-1");
        await RegisterAsync("a-2");
        await probe.WaitForAsync(s => s.HasExactly("a-1", "a-2"), EventTimeout, "both instances");

        await registration.DisposeAsync();

        await probe.WaitForAsync(s => s.HasExactly("a-2"), EventTimeout, "a-1 to leave");
        Assert.False(registration.IsLeaseHeld);
    }

    [Fact]
    public async Task KeepAlive_SeveralTtlsPass_InstanceStays()
    {
        var probe = Watch();
        var registration = await RegisterAsync("a-1");
        await probe.WaitForAsync(s => s.Has("a-1"), EventTimeout, "a-1 to appear");

        await ElapseAsync(Ttl * 3);

        Assert.True(probe.Latest!.Has("a-1"), "a kept-alive lease must not expire");
        Assert.DoesNotContain(probe.Seen.SkipWhile(s => !s.Has("a-1")), s => !s.Has("a-1"));
        Assert.True(registration.IsLeaseHeld);
    }

    [Fact]
    public async Task LeaseExpiry_KeepAliveStopsWithoutDeregister_InstanceGoneAfterTtl()
    {
        var probe = Watch();
        var dead = await RegisterAsync("a-1");
        await RegisterAsync("a-2");
        await probe.WaitForAsync(s => s.HasExactly("a-1", "a-2"), EventTimeout, "both instances");

        await StopKeepAliveAsync(dead);
        await ElapseAsync(Ttl * 2);

        await probe.WaitForAsync(s => s.HasExactly("a-2"), EventTimeout, "the expired a-1 to leave");
    }

    [Fact]
    public async Task Versions_SeveralChanges_EachSetHasAHigherVersion()
    {
        var probe = Watch();
        var first = await RegisterAsync("a-1");
        await probe.WaitForAsync(s => s.Has("a-1"), EventTimeout, "a-1");
        await RegisterAsync("a-2");
        await probe.WaitForAsync(s => s.Has("a-2"), EventTimeout, "a-2");
        await first.DisposeAsync();
        await probe.WaitForAsync(s => s.HasExactly("a-2"), EventTimeout, "a-1 to leave");

        // A set may be delivered again with its version unchanged (a watch stream that was re-opened
        // starts with the full set it already sent); a set whose instances changed must have a higher one.
        var sets = probe.Seen.Where(s => !s.IsStale).ToList();
        Assert.True(sets.Select(s => s.Version).Distinct().Count() >= 3, $"expected at least three versions, saw {string.Join(", ", sets.Select(s => s.Version))}");
        for (var i = 1; i < sets.Count; i++)
        {
            var changed = !sets[i].Instances.Select(x => x.InstanceId).Order().SequenceEqual(sets[i - 1].Instances.Select(x => x.InstanceId).Order());
            Assert.True(changed ? sets[i].Version > sets[i - 1].Version : sets[i].Version >= sets[i - 1].Version,
                $"versions must grow with every change: {string.Join(", ", sets.Select(s => s.Version))}");
        }
    }

    [Fact]
    public async Task TwoServices_EachRegistered_WatchersSeeOnlyTheirOwn()
    {
        var greeter = Watch("hello.Greeter");
        var orders = Watch("shop.Orders");
        await RegisterAsync("g-1", "hello.Greeter");
        await RegisterAsync("o-1", "shop.Orders");
        await RegisterAsync("both-1", "hello.Greeter", "shop.Orders");

        await greeter.WaitForAsync(s => s.HasExactly("g-1", "both-1"), EventTimeout, "the Greeter instances");
        await orders.WaitForAsync(s => s.HasExactly("o-1", "both-1"), EventTimeout, "the Orders instances");
        Assert.All(greeter.Seen, s => Assert.Equal("hello.Greeter", s.Service));
        Assert.DoesNotContain(greeter.Seen, s => s.Has("o-1"));
        Assert.DoesNotContain(orders.Seen, s => s.Has("g-1"));
    }
}
