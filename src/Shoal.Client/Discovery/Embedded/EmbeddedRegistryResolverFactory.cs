using Grpc.Core;
using Shoal.Discovery;
using Shoal.Targets;

namespace Shoal.Client.Discovery.Embedded;

/// <summary>
/// Creates <see cref="EmbeddedRegistryClient"/>s for <c>registry://host:port/service</c> targets.
/// The registry is reached through <paramref name="invokerFactory"/>, given the first
/// <c>host:port</c> of the target (hosting wires it to a native or gRPC channel); the invoker's
/// channel belongs to the factory's caller.
/// </summary>
public sealed class EmbeddedRegistryResolverFactory(Func<string, CallInvoker> invokerFactory, EmbeddedRegistryClientOptions? options = null)
    : IServiceResolverFactory
{
    /// <inheritdoc/>
    public bool Supports(string scheme) => string.Equals(scheme, "registry", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public IServiceResolver Create(ShoalTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!Supports(target.Scheme) || target.Hosts.IsEmpty)
        {
            throw new FormatException($"'{target}' is not a registry://host:port/service target.");
        }
        return new EmbeddedRegistryClient(invokerFactory(target.Hosts[0]), options);
    }
}
