using Shoal.Client;

namespace Shoal.Cli.Commands;

/// <summary>The credential files of a client command line (<see cref="ClientCredentialOptions"/>).</summary>
/// <param name="CaPath"><c>--ca</c>: TLS, checked against these authorities.</param>
/// <param name="CertificatePath"><c>--cert</c>: the client certificate.</param>
/// <param name="KeyPath"><c>--key</c>: its key.</param>
/// <param name="RegistryTokenFile"><c>--registry-token-file</c>: the embedded registry's token.</param>
internal sealed record ClientCredentials(string? CaPath, string? CertificatePath, string? KeyPath, string? RegistryTokenFile)
{
    /// <summary>No credentials.</summary>
    public static ClientCredentials None { get; } = new(null, null, null, null);

    private bool IsEmpty => CaPath is null && CertificatePath is null && RegistryTokenFile is null;

    /// <summary><paramref name="options"/> (new options when null and a credential is given) with the credentials set.</summary>
    public ShoalChannelOptions? ApplyTo(ShoalChannelOptions? options)
    {
        if (IsEmpty)
        {
            return options;
        }
        options ??= new ShoalChannelOptions();
        options.Tls.CaPath = CaPath;
        options.Tls.CertificatePath = CertificatePath;
        options.Tls.KeyPath = KeyPath;
        options.RegistryTokenFile = RegistryTokenFile;
        return options;
    }
}
