using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shoal.Client.Discovery.InMemory;
using Shoal.Server.Registry;
using Shoal.Server.Registry.Internal;

namespace Shoal.Server;

/// <summary>Serves the embedded registry from a Shoal host (what <c>shoal registry</c> runs).</summary>
public static class ShoalRegistryServerExtensions
{
    /// <summary>
    /// Serves <see cref="EmbeddedRegistryService"/> (<c>shoal.registry.v1.RegistryService</c>) on
    /// both transports, over one <see cref="RegistryStore"/>. Servers register with
    /// <c>--registry registry://host:native-port</c>; clients call <c>registry://host:native-port/pkg.Service</c>.
    /// Without <see cref="EmbeddedRegistryOptions.TokenFile"/> the host must listen on loopback
    /// (or set <see cref="EmbeddedRegistryOptions.AllowUnauthenticated"/>), else it fails to start.
    /// </summary>
    public static IShoalServerBuilder AddEmbeddedRegistry(this IShoalServerBuilder builder, Action<RegistryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddShoalEmbeddedRegistry(configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ShoalServerOptions>, RegistryExposureValidator>());
        return builder.AddService<EmbeddedRegistryService>();
    }
}
