using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shoal.Discovery;
using Shoal.Targets;

namespace Shoal.Registry.Etcd;

/// <summary>Creates the <see cref="EtcdServiceRegistry"/> a server registers with for <c>etcd://h1:p1,h2:p2</c> registry addresses.</summary>
/// <param name="configure">Adjusts each registry's options (timeouts, TLS, logging) after the host's logger factory is set.</param>
public sealed class EtcdServiceRegistryFactory(Action<EtcdRegistryOptions>? configure = null) : IServiceRegistryFactory
{
    /// <inheritdoc/>
    public bool Supports(string scheme) => string.Equals(scheme, "etcd", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public bool TryValidate(string address, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(address);
        var text = address.Trim();
        if (!text.StartsWith("etcd://", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{address}' is not an etcd:// address.";
            return false;
        }
        // A registry address needs no service; the parser wants one.
        var withService = text.IndexOf('/', "etcd://".Length) > 0 ? text : text + "/_";
        return ShoalTarget.TryParse(withService, out _, out error);
    }

    /// <inheritdoc/>
    public IServiceRegistry Create(string address, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var loggerFactory = services.GetService<ILoggerFactory>();
        return EtcdServiceRegistry.FromAddress(address, o =>
        {
            o.LoggerFactory ??= loggerFactory;
            configure?.Invoke(o);
        });
    }
}
