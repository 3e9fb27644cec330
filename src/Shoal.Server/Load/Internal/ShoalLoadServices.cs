using System.Diagnostics.Metrics;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Shoal.Server.Load.Internal;

/// <summary>Registers the load monitor, its gRPC interceptor, the LoadReporter service and their life cycle.</summary>
internal static class ShoalLoadServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<ShoalServerOptions>>().Value;
            return new ServerLoadMonitor(
                options.InstanceId!,
                options.Load,
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetService<IMeterFactory>());
        });
        services.TryAddSingleton<LoadMonitorInterceptor>();
        services.TryAddSingleton<LoadReporterService>();
        services.AddSingleton<IPostConfigureOptions<GrpcServiceOptions>, LoadGrpcOptionsSetup>();
        services.AddHostedService<LoadMonitorLifecycle>();
        services.AddSingleton<IValidateOptions<ShoalServerOptions>, ServerLoadOptionsValidator>();
    }
}
