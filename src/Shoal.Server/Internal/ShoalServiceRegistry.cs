using Grpc.Core.Interceptors;

namespace Shoal.Server.Internal;

/// <summary>
/// What <see cref="Server.IShoalServerBuilder"/> collected: services and interceptors, in the
/// order they were added. Registered in DI as one instance.
/// </summary>
internal sealed class ShoalServiceRegistry
{
    private readonly List<ShoalServiceRegistration> _services = [];
    private readonly List<Type> _interceptorTypes = [];

    public IReadOnlyList<ShoalServiceRegistration> Services => _services;

    /// <summary>Whether MapShoalServices() mapped the services for grpc-dotnet.</summary>
    public bool Mapped { get; set; }

    /// <summary>What MapShoalServices() returned; null until it was called.</summary>
    public Server.ShoalServicesConventionBuilder? Conventions { get; set; }

    /// <summary>The data sources the services were mapped into: the native transport reads their endpoints' authorization metadata.</summary>
    public ICollection<Microsoft.AspNetCore.Routing.EndpointDataSource>? DataSources { get; set; }

    /// <summary>Interceptor types, first is outermost.</summary>
    public IReadOnlyList<Type> InterceptorTypes => _interceptorTypes;

    /// <summary>Adds a service; false when one with the same name is already there.</summary>
    public bool TryAdd(ShoalServiceRegistration registration)
    {
        if (_services.Exists(s => s.ServiceName == registration.ServiceName))
        {
            return false;
        }
        _services.Add(registration);
        return true;
    }

    public void AddInterceptor(Type interceptorType)
    {
        if (!typeof(Interceptor).IsAssignableFrom(interceptorType))
        {
            throw new ArgumentException($"{interceptorType.FullName} is not a Grpc.Core.Interceptors.Interceptor.", nameof(interceptorType));
        }
        if (!_interceptorTypes.Contains(interceptorType))
        {
            _interceptorTypes.Add(interceptorType);
        }
    }
}
