using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Discovery.InMemory;
using Shoal.Client.Discovery.Internal;
using Shoal.Discovery;

namespace Shoal.Registry.Tests.Contract;

/// <summary>The contract on the in-process registry, on fake time.</summary>
public sealed class InMemoryRegistryContractTests : ServiceRegistryContract
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private InMemoryServiceRegistry? _registry;

    protected override TimeSpan Ttl => TimeSpan.FromSeconds(3);

    protected override TimeSpan EventTimeout => TimeSpan.FromSeconds(5);

    protected override Task<(IServiceRegistry Registry, IServiceResolver Resolver)> StartAsync()
    {
        _registry = new InMemoryServiceRegistry(timeProvider: _time);
        return Task.FromResult<(IServiceRegistry, IServiceResolver)>((_registry, _registry));
    }

    protected override async Task StopAsync() => await _registry!.DisposeAsync();

    protected override Task ElapseAsync(TimeSpan duration)
    {
        // Small steps, so every periodic timer fires in order as it would in real time.
        var step = TimeSpan.FromMilliseconds(50);
        for (var passed = TimeSpan.Zero; passed < duration; passed += step)
        {
            _time.Advance(step);
        }
        return Task.CompletedTask;
    }

    protected override Task StopKeepAliveAsync(IRegistration registration)
    {
        ((InMemoryRegistration)registration).StopKeepAlive();
        return Task.CompletedTask;
    }
}
