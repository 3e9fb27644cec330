using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Grpc.Reflection;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Server.Native;

namespace Shoal.Server.Internal;

/// <summary>
/// Builds the singletons every Shoal host serves beside the application's services: the
/// standard health service, server reflection, and the native transport's method table.
/// </summary>
internal static class ShoalBuiltInServices
{
    /// <summary>The health service with every added service (and the whole server, "") SERVING.</summary>
    public static HealthServiceImpl CreateHealth(IServiceProvider services)
    {
        var registry = services.GetRequiredService<ShoalServiceRegistry>();
        var health = new HealthServiceImpl();
        health.SetStatus("", HealthCheckResponse.Types.ServingStatus.Serving);
        foreach (var service in registry.Services)
        {
            health.SetStatus(service.ServiceName, HealthCheckResponse.Types.ServingStatus.Serving);
        }
        return health;
    }

    /// <summary>Marks the server and every added service NOT_SERVING (shutdown has begun).</summary>
    public static void SetNotServing(HealthServiceImpl health, ShoalServiceRegistry registry)
    {
        health.SetStatus("", HealthCheckResponse.Types.ServingStatus.NotServing);
        foreach (var service in registry.Services)
        {
            health.SetStatus(service.ServiceName, HealthCheckResponse.Types.ServingStatus.NotServing);
        }
    }

    /// <summary>Reflection over the added services' descriptors, health, load reporting and reflection itself.</summary>
    public static ReflectionServiceImpl CreateReflection(IServiceProvider services)
    {
        var registry = services.GetRequiredService<ShoalServiceRegistry>();
        var descriptors = registry.Services.Select(s => s.Descriptor)
            .Append(Health.Descriptor)
            .Append(ServerReflection.Descriptor)
            .Append(Shoal.Client.Load.Protocol.LoadReporter.Descriptor);
        return new ReflectionServiceImpl(descriptors);
    }

    /// <summary>
    /// The native transport's method table: every added service bound through its generated
    /// <c>BindService</c> with the same singleton instance grpc-dotnet serves, plus health,
    /// reflection, load reporting and the admin service, with the registered interceptors (first is outermost).
    /// </summary>
    public static NativeServiceTable CreateNativeTable(IServiceProvider services)
    {
        var registry = services.GetRequiredService<ShoalServiceRegistry>();
        var interceptors = registry.InterceptorTypes
            .Select(type => (Interceptor)services.GetRequiredService(type))
            .ToList();
        var table = new NativeServiceTable(interceptors, new NativeCallAuthorization(services, new ShoalEndpointLookup(registry).Find));
        foreach (var service in registry.Services)
        {
            var instance = services.GetRequiredService(service.ImplementationType);
            table.Bind(binder => service.Bind(binder, instance));
        }
        var health = services.GetRequiredService<HealthServiceImpl>();
        table.Bind(binder => Health.BindService(binder, health));
        var reflection = services.GetRequiredService<ReflectionServiceImpl>();
        table.Bind(binder => ServerReflection.BindService(binder, reflection));
        var load = services.GetRequiredService<Load.Internal.LoadReporterService>();
        table.Bind(binder => Shoal.Client.Load.Protocol.LoadReporter.BindService(binder, load));
        var admin = services.GetRequiredService<ShoalAdminService>();
        table.Bind(binder => Shoal.Client.Admin.Protocol.Admin.BindService(binder, admin));
        return table;
    }
}
