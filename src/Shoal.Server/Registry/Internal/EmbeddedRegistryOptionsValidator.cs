using Microsoft.Extensions.Options;
using Shoal.Client.Discovery.Embedded;

namespace Shoal.Server.Registry.Internal;

/// <summary>Rejects registry options a host cannot start with, naming the configuration key at fault.</summary>
internal sealed class EmbeddedRegistryOptionsValidator : IValidateOptions<EmbeddedRegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddedRegistryOptions options)
    {
        var failures = new List<string>();
        if (options.TokenFile is { } path && RegistryToken.TryRead(path, out _, out var error) is false)
        {
            failures.Add($"{EmbeddedRegistryOptions.SectionName}:TokenFile: {error}");
        }
        if (options.MaxLeasesPerConnection < 1)
        {
            failures.Add($"{EmbeddedRegistryOptions.SectionName}:MaxLeasesPerConnection is {options.MaxLeasesPerConnection}; use at least 1.");
        }
        if (options.MaxWatchesPerConnection < 1)
        {
            failures.Add($"{EmbeddedRegistryOptions.SectionName}:MaxWatchesPerConnection is {options.MaxWatchesPerConnection}; use at least 1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
