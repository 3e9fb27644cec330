using Shoal.Client.Discovery.Embedded;

namespace Shoal.Cli.Commands.Registry;

/// <summary>
/// How <c>shoal registry</c> admits callers: <c>--token-file</c>, TLS from <c>--tls-cert</c>/<c>--tls-key</c>,
/// and <c>--insecure</c>, the explicit opt-out that lets it listen beyond loopback without a token.
/// </summary>
internal sealed record RegistryAccessSettings(string? TokenFile, string? TlsCertificate, string? TlsKey, bool Insecure)
{
    /// <summary>These settings, or a usage error that says what is wrong with them for <paramref name="host"/>.</summary>
    public RegistryAccessSettings Checked(string host)
    {
        if ((TlsCertificate is null) != (TlsKey is null))
        {
            throw new UsageException("--tls-cert and --tls-key go together.");
        }
        foreach (var (name, path) in new[] { ("--tls-cert", TlsCertificate), ("--tls-key", TlsKey) })
        {
            if (path is not null && !File.Exists(path))
            {
                throw new UsageException($"{name} '{path}' does not exist.");
            }
        }
        if (TokenFile is not null && !RegistryToken.TryRead(TokenFile, out _, out var error))
        {
            throw new UsageException($"--token-file: {error}");
        }
        if (TokenFile is null && !Insecure && !IsLoopback(host))
        {
            throw new UsageException($"--host {host} is not loopback: give --token-file (members only), or --insecure on a trusted network.");
        }
        return this;
    }

    private static bool IsLoopback(string host)
    {
        var text = host.Trim().Trim('[', ']');
        return text.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(text, out var address) && System.Net.IPAddress.IsLoopback(address));
    }
}
