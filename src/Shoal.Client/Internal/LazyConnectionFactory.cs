using Shoal.Connections;

namespace Shoal.Client.Internal;

/// <summary>A built-in connection factory created only when a connection of its scheme is first needed.</summary>
internal sealed class LazyConnectionFactory(IReadOnlyCollection<string> schemes, Func<IConnectionFactory> create) : IConnectionFactory
{
    private readonly Lazy<IConnectionFactory> _inner = new(create);

    public bool Supports(string scheme) => schemes.Contains(scheme, StringComparer.Ordinal);

    public IConnection Create(Uri address) => _inner.Value.Create(address);
}
