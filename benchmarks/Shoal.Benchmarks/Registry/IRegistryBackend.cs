using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Benchmarks.Registry;

/// <summary>A registry under test: the embedded registry server or etcd, driven by raw round trips.</summary>
internal interface IRegistryBackend : IAsyncDisposable
{
    /// <summary>A short name for the report.</summary>
    string Name { get; }

    /// <summary>Registers <paramref name="count"/> instances and keeps their leases alive with real keepalives until disposed.</summary>
    Task PopulateAsync(int count, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>A resolver with its own connection, as a separate client process would have.</summary>
    IServiceResolver CreateWatcher();

    /// <summary>Registers one instance under a lease that is never renewed; returns a handle for <see cref="DeregisterAsync"/>.</summary>
    Task<long> RegisterAsync(ServiceInstance instance, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Removes the lease <paramref name="leaseId"/> at once.</summary>
    Task DeregisterAsync(long leaseId, CancellationToken cancellationToken);

    /// <summary>Lease renewals answered so far.</summary>
    long Renewals { get; }

    /// <summary>The keepalive rate since <paramref name="renewalsBefore"/> was read, failures, leases registered again.</summary>
    string KeepAliveSummary(long renewalsBefore, TimeSpan elapsed);
}
