using Shoal.Discovery;

namespace Shoal.Benchmarks.Registry;

/// <summary>A resolver together with the connection it owns; disposing it closes both.</summary>
internal sealed class OwnedResolver(IServiceResolver inner, IAsyncDisposable owned) : IServiceResolver
{
    public IAsyncEnumerable<InstanceSet> WatchAsync(string service, CancellationToken cancellationToken = default)
        => inner.WatchAsync(service, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await owned.DisposeAsync();
    }
}
