using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using Shoal.Server;

namespace Hello.Server;

/// <summary>
/// Adds the <c>x-instance-id</c> trailer (the id this process registered with) to every unary
/// reply, so a client of a cluster can see which instance answered.
/// </summary>
public sealed class InstanceIdInterceptor(IOptions<ShoalServerOptions> options) : Interceptor
{
    /// <summary>The trailer's name.</summary>
    public const string Trailer = "x-instance-id";

    private readonly string _instanceId = options.Value.InstanceId ?? "";

    /// <inheritdoc/>
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        context.ResponseTrailers.Add(Trailer, _instanceId);
        return continuation(request, context);
    }
}
