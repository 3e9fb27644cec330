using Shoal.Discovery;
using Shoal.Targets;

namespace Shoal.Client.Discovery.Static;

/// <summary>Creates <see cref="StaticServiceResolver"/>s for <c>static://</c> targets.</summary>
public sealed class StaticResolverFactory : IServiceResolverFactory
{
    /// <inheritdoc/>
    public bool Supports(string scheme) => string.Equals(scheme, "static", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public IServiceResolver Create(ShoalTarget target) => StaticServiceResolver.FromTarget(target);
}
