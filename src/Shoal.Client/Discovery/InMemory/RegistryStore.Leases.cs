using Shoal.Instances;

namespace Shoal.Client.Discovery.InMemory;

public sealed partial class RegistryStore
{
    /// <summary>
    /// The live leases of <paramref name="service"/>, or of every service when it is null or empty, by
    /// instance id: each instance with the TTL it was granted and the time left before it expires.
    /// </summary>
    /// <param name="service">The service, or null for all.</param>
    /// <returns>The leases.</returns>
    public IReadOnlyList<(ServiceInstance Instance, TimeSpan Ttl, TimeSpan Remaining)> Leases(string? service = null)
    {
        var now = TimeProvider.GetUtcNow();
        lock (_lock)
        {
            return [.. _leases.Values
                .Where(lease => string.IsNullOrEmpty(service) || lease.Instance.Serves(service))
                .OrderBy(lease => lease.Instance.InstanceId, StringComparer.Ordinal)
                .Select(lease => (lease.Instance, lease.Ttl, lease.ExpiresAt > now ? lease.ExpiresAt - now : TimeSpan.Zero))];
        }
    }
}
