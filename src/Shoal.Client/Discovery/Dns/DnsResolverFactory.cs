using Shoal.Discovery;
using Shoal.Targets;

namespace Shoal.Client.Discovery.Dns;

/// <summary>Creates <see cref="DnsServiceResolver"/>s for <c>dns:///name:port</c> targets.</summary>
public sealed class DnsResolverFactory(DnsResolverOptions? options = null) : IServiceResolverFactory
{
    /// <inheritdoc/>
    public bool Supports(string scheme) => string.Equals(scheme, "dns", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public IServiceResolver Create(ShoalTarget target) => DnsServiceResolver.FromTarget(target, options);
}
