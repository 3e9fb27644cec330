using Grpc.Core;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// Turns a call's <see cref="CallCredentials"/> into request metadata, as grpc-dotnet does for
/// HTTP/2: each <see cref="AsyncAuthInterceptor"/> (composites in order) adds its entries to a copy
/// of the call's headers. Credentials go only over TLS unless the channel opts in with
/// <see cref="NativeClientOptions.UnsafeUseInsecureChannelCallCredentials"/>.
/// </summary>
internal static class NativeCallCredentials
{
    /// <summary>The status of a call whose credentials would travel in clear text.</summary>
    public static readonly Status Insecure = new(StatusCode.Unauthenticated,
        "CallCredentials are only sent over TLS: this native connection is plaintext. Use TLS, or set UnsafeUseInsecureChannelCallCredentials to send them anyway.");

    /// <summary>The headers to send: the call's own, then what the credentials add.</summary>
    /// <exception cref="RpcException">An interceptor failed; the call fails with its status (or <c>Unauthenticated</c>).</exception>
    public static async Task<Metadata> GetHeadersAsync(CallCredentials credentials, Uri address, bool tls, IMethod method, Metadata? headers, CancellationToken cancellationToken)
    {
        var interceptors = new List<AsyncAuthInterceptor>();
        credentials.InternalPopulateConfiguration(new Collector(interceptors), null);
        var result = new Metadata();
        if (headers is not null)
        {
            foreach (var entry in headers)
            {
                result.Add(entry);
            }
        }
        var context = new AuthInterceptorContext($"{(tls ? "https" : "http")}://{address.Authority}/{method.ServiceName}", method.Name, cancellationToken);
        foreach (var interceptor in interceptors)
        {
            try
            {
                await interceptor(context, result).ConfigureAwait(false);
            }
            catch (RpcException)
            {
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, "Getting the call's credentials failed: " + e.Message, e));
            }
        }
        return result;
    }

    private sealed class Collector(List<AsyncAuthInterceptor> interceptors) : CallCredentialsConfiguratorBase
    {
        public override void SetAsyncAuthInterceptorCredentials(object? state, AsyncAuthInterceptor interceptor) => interceptors.Add(interceptor);

        public override void SetCompositeCredentials(object? state, IReadOnlyList<CallCredentials> credentials)
        {
            foreach (var item in credentials)
            {
                item.InternalPopulateConfiguration(this, state);
            }
        }
    }
}
