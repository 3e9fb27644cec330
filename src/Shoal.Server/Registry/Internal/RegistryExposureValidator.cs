using System.Net;
using Microsoft.Extensions.Options;

namespace Shoal.Server.Registry.Internal;

/// <summary>
/// Safe by default: a host serving the embedded registry without a token listens on loopback only.
/// Anything else (an interface address, <c>0.0.0.0</c>, <c>*</c>) needs
/// <see cref="EmbeddedRegistryOptions.TokenFile"/> or an explicit
/// <see cref="EmbeddedRegistryOptions.AllowUnauthenticated"/>.
/// </summary>
internal sealed class RegistryExposureValidator(IOptions<EmbeddedRegistryOptions> registry) : IValidateOptions<ShoalServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ShoalServerOptions options)
    {
        var settings = registry.Value;
        if (settings.TokenFile is not null || settings.AllowUnauthenticated || IsLoopback(options.Host))
        {
            return ValidateOptionsResult.Success;
        }
        return ValidateOptionsResult.Fail(
            $"Shoal:Server:Host '{options.Host}' is not loopback and the embedded registry has no token: anyone who reaches it could register instances. " +
            $"Set {EmbeddedRegistryOptions.SectionName}:TokenFile (shoal registry --token-file), or {EmbeddedRegistryOptions.SectionName}:AllowUnauthenticated (--insecure) on a trusted network.");
    }

    internal static bool IsLoopback(string? host)
    {
        var text = (host ?? "").Trim().Trim('[', ']');
        return text.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(text, out var address) && IPAddress.IsLoopback(address));
    }
}
