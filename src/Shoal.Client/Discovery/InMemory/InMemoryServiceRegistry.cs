using Shoal.Client.Discovery.Internal;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Client.Discovery.InMemory;

/// <summary>
/// A registry and resolver in one process, over a <see cref="RegistryStore"/>. Leases are real:
/// a registration renews its lease every third of its TTL on the store's clock, and a registration
/// whose keepalive stops (see tests) disappears once the TTL has passed.
/// </summary>
public sealed class InMemoryServiceRegistry : IServiceRegistry, IServiceResolver
{
    private readonly bool _ownsStore;

    /// <summary>Creates a registry over <paramref name="store"/>, or over a store of its own (on <paramref name="timeProvider"/>) when null.</summary>
    public InMemoryServiceRegistry(RegistryStore? store = null, TimeProvider? timeProvider = null)
    {
        _ownsStore = store is null;
        Store = store ?? new RegistryStore(timeProvider: timeProvider);
    }

    /// <summary>The store that holds the leases.</summary>
    public RegistryStore Store { get; }

    /// <inheritdoc/>
    public Task<IRegistration> RegisterAsync(ServiceInstance instance, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        InstanceValidation.ValidateTtl(ttl);
        cancellationToken.ThrowIfCancellationRequested();
        var (leaseId, granted) = Store.Register(instance, ttl);
        IRegistration registration = new InMemoryRegistration(Store, instance, leaseId, granted);
        return Task.FromResult(registration);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<InstanceSet> WatchAsync(string service, CancellationToken cancellationToken = default)
        => Store.WatchAsync(service, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (_ownsStore)
        {
            Store.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
