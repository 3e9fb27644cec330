using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace Shoal.Server.Load.Internal;

/// <summary>Puts the load interceptor first (outermost) on grpc-dotnet, after the application's interceptors were added.</summary>
internal sealed class LoadGrpcOptionsSetup : IPostConfigureOptions<GrpcServiceOptions>
{
    public void PostConfigure(string? name, GrpcServiceOptions options)
    {
        if (!options.Interceptors.Any(i => i.Type == typeof(LoadMonitorInterceptor)))
        {
            options.Interceptors.Add<LoadMonitorInterceptor>();
            var registration = options.Interceptors[^1];
            options.Interceptors.RemoveAt(options.Interceptors.Count - 1);
            options.Interceptors.Insert(0, registration);
        }
    }
}
