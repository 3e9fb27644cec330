using Shoal.Client.Discovery.Embedded;
using Shoal.Discovery;
using Shoal.Targets;

namespace Shoal.Client.Internal;

/// <summary>
/// Resolves <c>registry://host:port/service</c> targets through the embedded registry, reached
/// over the native protocol (<c>shoal://host:port</c>) with the channel's connection settings.
/// The connection belongs to the resolver and is closed with it. With
/// <see cref="ShoalChannelOptions.RegistryTokenFile"/> every registry call carries the token.
/// </summary>
internal sealed class RegistryTargetResolverFactory(ShoalChannelOptions options) : IServiceResolverFactory
{
    public bool Supports(string scheme) => string.Equals(scheme, "registry", StringComparison.OrdinalIgnoreCase);

    public IServiceResolver Create(ShoalTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!Supports(target.Scheme) || target.Hosts.IsEmpty)
        {
            throw new FormatException($"'{target}' is not a registry://host:port/service target.");
        }
        var connection = options.CreateConnectionFactory("shoal").Create(new Uri($"shoal://{target.Hosts[0]}"));
        var client = new EmbeddedRegistryClient(connection.Invoker, new EmbeddedRegistryClientOptions
        {
            LoggerFactory = options.LoggerFactory,
            Token = options.RegistryTokenFile is { } path ? RegistryToken.ReadFile(path) : null,
        });
        return new OwningResolver(client, connection);
    }
}
