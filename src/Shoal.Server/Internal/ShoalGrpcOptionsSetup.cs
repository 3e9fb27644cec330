using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace Shoal.Server.Internal;

/// <summary>Gives grpc-dotnet the same interceptors, message limits and error detail as the native transport.</summary>
internal sealed class ShoalGrpcOptionsSetup(IOptions<ShoalServerOptions> options, ShoalServiceRegistry registry) : IConfigureOptions<GrpcServiceOptions>
{
    public void Configure(GrpcServiceOptions grpc)
    {
        var server = options.Value;
        grpc.EnableDetailedErrors = server.EnableDetailedErrors;
        grpc.MaxReceiveMessageSize = server.Native.MaxReceiveMessageSize;
        grpc.MaxSendMessageSize = server.Native.MaxSendMessageSize;
        // Outermost, so the user's interceptors run inside the call's context too.
        grpc.Interceptors.Add<CallContextScopeInterceptor>();
        grpc.Interceptors.Add<ServerCallTracingInterceptor>();
        grpc.Interceptors.Add<ServerCallMetricsInterceptor>();
        foreach (var interceptorType in registry.InterceptorTypes)
        {
            grpc.Interceptors.Add(interceptorType);
        }
    }
}
