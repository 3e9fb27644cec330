using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Shoal.Client.Discovery.Embedded;

namespace Shoal.Server.Registry.Internal;

/// <summary>
/// The registry's door: every call must carry <c>authorization: Bearer &lt;token&gt;</c> with the
/// members' token when one is configured. The comparison is of SHA-256 digests with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the time taken nor an early
/// exit on length tells a caller how much of a guess was right.
/// </summary>
internal sealed class RegistryAccess
{
    private const string Scheme = "Bearer ";
    private readonly byte[]? _digest;

    private RegistryAccess(byte[]? digest) => _digest = digest;

    /// <summary>Accepts every call.</summary>
    public static RegistryAccess Open { get; } = new(null);

    public bool RequiresToken => _digest is not null;

    /// <summary>Reads the token from the options' token file; open when there is none.</summary>
    public static RegistryAccess FromOptions(EmbeddedRegistryOptions options)
        => options.TokenFile is { } path ? ForToken(RegistryToken.ReadFile(path)) : Open;

    public static RegistryAccess ForToken(string token) => new(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Null when the call may proceed, else why not (the status detail).</summary>
    public string? Check(ServerCallContext context)
    {
        if (_digest is null)
        {
            return null;
        }
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null)
        {
            return "the registry requires a token: send 'authorization: Bearer <token>' (shoal: --registry-token-file).";
        }
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return "the registry accepts only 'authorization: Bearer <token>'.";
        }
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header.AsSpan(Scheme.Length).Trim().ToString()));
        return CryptographicOperations.FixedTimeEquals(presented, _digest) ? null : "the registry token is not valid.";
    }
}
