using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shoal.Server.Internal;

/// <summary>Registers services and interceptors as singletons and records them for both transports.</summary>
internal sealed class ShoalServerBuilder(IServiceCollection services, ShoalServiceRegistry registry) : IShoalServerBuilder
{
    public IServiceCollection Services { get; } = services;

    public IShoalServerBuilder AddService<TService>() where TService : class
    {
        var registration = ServiceBinding.Create<TService>();
        if (!registry.TryAdd(registration))
        {
            throw new InvalidOperationException($"The service {registration.ServiceName} is already served (by {registry.Services.First(s => s.ServiceName == registration.ServiceName).ImplementationType.Name}).");
        }
        // One instance shared by both transports; a registration the application made itself wins.
        Services.TryAddSingleton<TService>();
        return this;
    }

    public IShoalServerBuilder AddInterceptor<TInterceptor>() where TInterceptor : Interceptor
    {
        registry.AddInterceptor(typeof(TInterceptor));
        // grpc-dotnet resolves a registered interceptor from DI, so both transports share this instance.
        Services.TryAddSingleton<TInterceptor>();
        return this;
    }
}
