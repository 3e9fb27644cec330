using Shoal.Client.Discovery.InMemory;
using Shoal.Server.Registry;

namespace Shoal.Server;

/// <summary>Serves the embedded registry from a Shoal host (what <c>shoal registry</c> runs).</summary>
public static class ShoalRegistryServerExtensions
{
    /// <summary>
    /// Serves <see cref="EmbeddedRegistryService"/> (<c>shoal.registry.v1.RegistryService</c>) on
    /// both transports, over one <see cref="RegistryStore"/>. Servers register with
    /// <c>--registry registry://host:native-port</c>; clients call <c>registry://host:native-port/pkg.Service</c>.
    /// </summary>
    public static IShoalServerBuilder AddEmbeddedRegistry(this IShoalServerBuilder builder, Action<RegistryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddShoalEmbeddedRegistry(configure);
        return builder.AddService<EmbeddedRegistryService>();
    }
}
