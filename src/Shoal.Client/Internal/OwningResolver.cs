using Shoal.Discovery;

namespace Shoal.Client.Internal;

/// <summary>A resolver that also owns what it talks through (the connection to the registry), disposed after it.</summary>
internal sealed class OwningResolver(IServiceResolver inner, IAsyncDisposable owned) : IServiceResolver
{
    public IAsyncEnumerable<InstanceSet> WatchAsync(string service, CancellationToken cancellationToken = default)
        => inner.WatchAsync(service, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await owned.DisposeAsync().ConfigureAwait(false);
    }
}
