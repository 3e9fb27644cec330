using Etcdserverpb;
using Grpc.Core;

namespace Shoal.Registry.Etcd.Internal;

/// <summary>
/// etcd's username/password authentication: <c>Authenticate</c> returns a token that every other
/// call carries as the <c>token</c> header. The token is fetched on first use, shared by every
/// call, and fetched again after <see cref="MaxTokenAge"/> or when etcd says it is no longer valid
/// (simple tokens expire after <c>--auth-token-ttl</c>, 5 minutes by default, when unused).
/// </summary>
internal sealed class EtcdAuthenticator(string username, string password, EtcdConnection connection)
{
    private static readonly TimeSpan MaxTokenAge = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Token? _token;

    /// <summary>Whether etcd refused the token itself (expired, revoked), not the user's permissions.</summary>
    public static bool IsTokenRefused(RpcException ex)
        => ex.StatusCode == StatusCode.Unauthenticated && ex.Status.Detail.Contains("token", StringComparison.OrdinalIgnoreCase);

    public void Invalidate() => Volatile.Write(ref _token, null);

    /// <summary>The <see cref="CallCredentials"/> interceptor: adds the token to every call but <c>Authenticate</c> itself.</summary>
    public async Task AddTokenAsync(AuthInterceptorContext context, Metadata metadata)
    {
        if (context.MethodName == "Authenticate")
        {
            return;
        }
        metadata.Add("token", await TokenAsync(CancellationToken.None).ConfigureAwait(false));
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } token)
        {
            return token;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh() is { } other)
            {
                return other;
            }
            var response = await connection.CallAsync(
                (index, options) => connection.Auth(index).AuthenticateAsync(new AuthenticateRequest { Name = username, Password = password }, options).ResponseAsync,
                cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _token, new Token(response.Token, Environment.TickCount64));
            return response.Token;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.Unauthenticated or StatusCode.FailedPrecondition)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"etcd refused user '{username}': {ex.Status.Detail}"));
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record Token(string Value, long At);

    private string? Fresh()
        => Volatile.Read(ref _token) is { } token && Environment.TickCount64 - token.At < MaxTokenAge.TotalMilliseconds ? token.Value : null;
}
