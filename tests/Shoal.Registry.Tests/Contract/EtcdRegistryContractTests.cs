using Shoal.Discovery;
using Shoal.Registry.Etcd;
using Shoal.Registry.Etcd.Internal;
using Shoal.Registry.Tests.Support;

namespace Shoal.Registry.Tests.Contract;

/// <summary>The contract on a real single-member etcd started on loopback ports.</summary>
public sealed class EtcdRegistryContractTests : RemoteServiceRegistryContract
{
    private readonly List<EtcdServiceRegistry> _registries = [];
    private EtcdMember? _etcd;

    // Above etcd's shortest lease (2 s) and long enough for keepalives on a heavily loaded machine.
    protected override TimeSpan Ttl => TimeSpan.FromSeconds(3);

    protected override TimeSpan EventTimeout => TimeSpan.FromSeconds(20);

    protected override async Task<(IServiceRegistry Registry, IServiceResolver Resolver)> StartAsync()
    {
        _etcd = await EtcdMember.StartSingleAsync();
        var registry = NewRegistry();
        return (registry, registry);
    }

    protected override async Task StopAsync()
    {
        foreach (var registry in _registries)
        {
            await registry.DisposeAsync();
        }
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }
    }

    protected override Task ElapseAsync(TimeSpan duration) => Task.Delay(duration);

    protected override Task StopKeepAliveAsync(IRegistration registration)
        => ((EtcdRegistration)registration).StopKeepAliveAsync();

    protected override Task StopSourceAsync()
    {
        _etcd!.Kill();
        return Task.CompletedTask;
    }

    protected override Task StartSourceAsync() => _etcd!.RestartAsync();

    protected override IServiceResolver CreateFreshResolver() => NewRegistry();

    private EtcdServiceRegistry NewRegistry()
    {
        var registry = new EtcdServiceRegistry(new EtcdRegistryOptions
        {
            Endpoints = [_etcd!.ClientUrl],
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
            CallTimeout = TimeSpan.FromSeconds(3),
        });
        _registries.Add(registry);
        return registry;
    }
}
