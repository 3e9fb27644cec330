using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;

namespace Shoal.Server;

/// <summary>Registers the services and interceptors a Shoal host serves on both transports.</summary>
public interface IShoalServerBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }

    /// <summary>Serves <typeparamref name="TService"/> (a generated <c>XxxBase</c> subclass, one instance shared by both transports).</summary>
    IShoalServerBuilder AddService<TService>() where TService : class;

    /// <summary>Runs <typeparamref name="TInterceptor"/> around every call on both transports (first added is outermost).</summary>
    IShoalServerBuilder AddInterceptor<TInterceptor>() where TInterceptor : Interceptor;
}
