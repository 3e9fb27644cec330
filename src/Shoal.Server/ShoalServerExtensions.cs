using Grpc.HealthCheck;
using Grpc.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shoal.Client.Native;
using Shoal.Server.Internal;
using Shoal.Server.Load;
using Shoal.Server.Load.Internal;
using Shoal.Server.Native;

namespace Shoal.Server;

/// <summary>Adds a Shoal server to a <see cref="WebApplicationBuilder"/> and maps its services.</summary>
public static class ShoalServerExtensions
{
    /// <summary>Listens on the native and gRPC ports from <see cref="ShoalServerOptions"/> (configuration section <c>Shoal:Server</c>, then <paramref name="configure"/>).</summary>
    /// <remarks>
    /// Every service added to the returned builder is one singleton served by both transports;
    /// the standard health service and server reflection are served beside them. Call it once.
    /// </remarks>
    public static IShoalServerBuilder AddShoalServer(this WebApplicationBuilder builder, Action<ShoalServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(ShoalServiceRegistry)))
        {
            throw new InvalidOperationException("AddShoalServer was already called on this builder; call it once and add every service to the builder it returns.");
        }

        var options = services.AddOptions<ShoalServerOptions>().Bind(builder.Configuration.GetSection(ShoalServerOptions.SectionName));
        if (configure is not null)
        {
            options.Configure(configure);
        }
        options.PostConfigure(o =>
        {
            o.Native.EnableDetailedErrors |= o.EnableDetailedErrors;
            // One id for the life of the process: a restarted instance is a new instance.
            o.InstanceId = string.IsNullOrWhiteSpace(o.InstanceId) ? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}" : o.InstanceId;
        });
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShoalServerOptions>, ShoalServerOptionsValidator>();

        var registry = new ShoalServiceRegistry();
        services.AddSingleton(registry);
        services.AddSingleton<ShoalEndpoints>();
        ShoalAddressNaming.Decorate(services);

        // Kestrel: the native endpoint and the HTTP/2 endpoint. TLS with an explicit certificate
        // needs Kestrel's HTTPS services, which CreateSlimBuilder leaves out.
        builder.WebHost.UseKestrelHttpsConfiguration();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, ShoalKestrelSetup>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>>(new ShoalKestrelLimitsSetup(builder.Configuration.GetSection(ShoalKestrelLimitsSetup.SectionName)));
        services.AddSingleton<IConfigureOptions<SocketTransportOptions>, ShoalSocketTransportSetup>();
        BlockMemoryPoolFactory.Register(services);
        services.AddSingleton<IConfigureOptions<HostOptions>, ShoalHostOptionsSetup>();

        // gRPC over HTTP/2 through grpc-dotnet.
        services.AddGrpc();
        services.AddSingleton<IConfigureOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>, ShoalGrpcOptionsSetup>();

        // The native transport: one method table and one handler for every connection.
        services.TryAddSingleton<IOptions<NativeServerOptions>>(sp =>
        {
            var native = sp.GetRequiredService<IOptions<ShoalServerOptions>>().Value.Native;
            native.CallObserver ??= sp.GetRequiredService<ServerLoadMonitor>();
            return Options.Create(native);
        });
        services.TryAddSingleton(ShoalBuiltInServices.CreateNativeTable);
        // One frame budget for every native connection of the host, whatever its endpoints.
        services.TryAddSingleton(sp => new NativeFrameBudget(sp.GetRequiredService<IOptions<NativeServerOptions>>().Value.FrameAssemblyBudget));
        services.TryAddSingleton<NativeConnectionHandler>();

        // Load measurement (both transports) and the LoadReporter service.
        ShoalLoadServices.Add(services);

        // Health and reflection, shared by both transports.
        services.TryAddSingleton(ShoalBuiltInServices.CreateHealth);
        // ASP.NET Core health checks drive it (and the metrics port's /readyz): checks run every 5 s.
        services.AddHealthChecks();
        services.AddSingleton<Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheckPublisher, ShoalHealthPublisher>();
        services.Configure<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(1);
            o.Period = TimeSpan.FromSeconds(5);
        });
        services.TryAddSingleton(ShoalBuiltInServices.CreateReflection);
        // Admin calls (Drain), refused unless the host has a registry token and the caller presents it.
        services.TryAddSingleton<ShoalAdminService>();
        services.AddHostedService<ShoalServerLifecycle>();
        services.AddSingleton<ShoalMetricsEndpoint>();
        services.AddHostedService(sp => sp.GetRequiredService<ShoalMetricsEndpoint>());
        services.AddSingleton<ShoalRegistrationService>();
        services.AddHostedService(sp => sp.GetRequiredService<ShoalRegistrationService>());

        return new ShoalServerBuilder(services, registry);
    }

    /// <summary>Binds every added service to both transports, with health and reflection.</summary>
    /// <returns>
    /// The conventions of the added services (not of health, reflection and load reporting):
    /// <c>RequireAuthorization(...)</c> on it applies to their calls on both transports.
    /// </returns>
    /// <remarks>
    /// The native transport's table is built from the same registrations when the host is built
    /// (Kestrel creates the native connection handler with its endpoints); this maps them for
    /// grpc-dotnet, and the native transport authorizes each call from the metadata of the
    /// endpoint mapped here for its method.
    /// </remarks>
    public static ShoalServicesConventionBuilder MapShoalServices(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var registry = app.Services.GetService<ShoalServiceRegistry>()
            ?? throw new InvalidOperationException("Call builder.AddShoalServer() before app.MapShoalServices().");
        if (registry.Conventions is { } mapped)
        {
            return mapped;
        }
        app.Services.GetRequiredService<ShoalMetricsEndpoint>().Map(app);
        var builders = new List<IEndpointConventionBuilder>();
        foreach (var service in registry.Services)
        {
            builders.Add(service.MapGrpc(app));
        }
        app.MapGrpcService<HealthServiceImpl>();
        app.MapGrpcService<ReflectionServiceImpl>();
        app.MapGrpcService<LoadReporterService>();
        app.MapGrpcService<ShoalAdminService>();
        registry.DataSources = ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)app).DataSources;
        registry.Conventions = new ShoalServicesConventionBuilder(builders);
        registry.Mapped = true;
        return registry.Conventions;
    }

    /// <summary>
    /// The registration of the started host (see <see cref="ShoalServerOptions.Registry"/>), or
    /// null when it does not register or has deregistered (it is stopping).
    /// </summary>
    public static Shoal.Discovery.IRegistration? GetShoalRegistration(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetService<ShoalRegistrationService>()?.Registration;
    }

    /// <summary>The addresses the started host listens on.</summary>
    /// <exception cref="InvalidOperationException">The host has not started yet.</exception>
    public static ShoalServerAddresses GetShoalAddresses(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var endpoints = app.Services.GetService<ShoalEndpoints>()
            ?? throw new InvalidOperationException("Call builder.AddShoalServer() first: this host is not a Shoal server.");
        return endpoints.GetAddresses();
    }
}
