using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Shoal.Server.Registry.Internal;

/// <summary>Binds <see cref="EmbeddedRegistryOptions"/> from <c>Shoal:Registry</c> when the host has configuration.</summary>
internal sealed class EmbeddedRegistryOptionsSetup(IConfiguration? configuration = null) : IConfigureOptions<EmbeddedRegistryOptions>
{
    public void Configure(EmbeddedRegistryOptions options) => configuration?.GetSection(EmbeddedRegistryOptions.SectionName).Bind(options);
}
