using Shoal.Instances;

namespace Shoal.Discovery;

/// <summary>The server side of discovery: an instance registers itself under a lease.</summary>
public interface IServiceRegistry : IAsyncDisposable
{
    /// <summary>
    /// Registers <paramref name="instance"/> with a lease of <paramref name="ttl"/> that is kept
    /// alive in the background for as long as the returned registration lives. Disposing the
    /// registration deregisters at once (graceful stop); a process that dies stops the keepalive
    /// and the lease expires by itself.
    /// </summary>
    Task<IRegistration> RegisterAsync(ServiceInstance instance, TimeSpan ttl, CancellationToken cancellationToken = default);
}
