using System.CommandLine;
using Grpc.Core;
using Shoal.Client.Discovery.Embedded;

namespace Shoal.Cli.Commands;

/// <summary>
/// The client side's credentials on the command line: <c>--ca</c>, <c>--cert</c>/<c>--key</c>
/// (TLS on both transports, mutual with a certificate), <c>--registry-token-file</c> (the embedded
/// registry's token for <c>registry://</c> targets) and, with <paramref name="callToken"/>,
/// <c>--token-file</c> (a bearer token sent with each call, over TLS only).
/// </summary>
internal sealed class ClientCredentialOptions(bool callToken = false)
{
    private readonly Option<string?> _ca = new("--ca") { Description = "Certificate authorities (PEM) that issue the servers' certificates: TLS on shoal:// and https://." };
    private readonly Option<string?> _cert = new("--cert") { Description = "A client certificate (PEM) for servers that require one; with --key." };
    private readonly Option<string?> _key = new("--key") { Description = "The private key (PEM) of --cert." };
    private readonly Option<string?> _registryToken = new("--registry-token-file") { Description = "A file holding the embedded registry's token (registry:// targets)." };
    private readonly Option<string?> _callToken = new("--token-file") { Description = "A file holding a bearer token sent as 'authorization: Bearer' with each call (needs TLS: --ca)." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_ca);
        command.Options.Add(_cert);
        command.Options.Add(_key);
        command.Options.Add(_registryToken);
        if (callToken)
        {
            command.Options.Add(_callToken);
        }
    }

    /// <summary>The TLS files and the registry token file given; missing files are usage errors.</summary>
    public ClientCredentials Read(ParseResult parseResult)
    {
        var credentials = new ClientCredentials(File(parseResult, _ca), File(parseResult, _cert), File(parseResult, _key), File(parseResult, _registryToken));
        if ((credentials.CertificatePath is null) != (credentials.KeyPath is null))
        {
            throw new UsageException("--cert and --key go together.");
        }
        if (credentials.RegistryTokenFile is { } path && !RegistryToken.TryRead(path, out _, out var error))
        {
            throw new UsageException($"--registry-token-file: {error}");
        }
        return credentials;
    }

    /// <summary>The per-call credentials of <c>--token-file</c>; null without it.</summary>
    public CallCredentials? CallCredentials(ParseResult parseResult)
    {
        if (!callToken || File(parseResult, _callToken) is not { } path)
        {
            return null;
        }
        if (!RegistryToken.TryRead(path, out var token, out var error))
        {
            throw new UsageException($"--token-file: {error}");
        }
        var value = "Bearer " + token;
        return Grpc.Core.CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", value);
            return Task.CompletedTask;
        });
    }

    private static string? File(ParseResult parseResult, Option<string?> option)
    {
        var path = parseResult.GetValue(option);
        if (path is null)
        {
            return null;
        }
        if (!System.IO.File.Exists(path))
        {
            throw new UsageException($"{option.Name} '{path}' does not exist.");
        }
        return path;
    }
}
