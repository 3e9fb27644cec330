using Microsoft.AspNetCore.Builder;

namespace Shoal.Server;

/// <summary>
/// The endpoints of every service added to a Shoal host, as <c>MapShoalServices()</c> returns them:
/// a convention added here (<c>RequireAuthorization()</c>, <c>AllowAnonymous()</c>, metadata) applies to
/// every method of those services, and decides its calls on the native port as on the gRPC port.
/// </summary>
public sealed class ShoalServicesConventionBuilder : IEndpointConventionBuilder
{
    private readonly IReadOnlyList<IEndpointConventionBuilder> _builders;

    internal ShoalServicesConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) => _builders = builders;

    /// <inheritdoc/>
    public void Add(Action<EndpointBuilder> convention)
    {
        ArgumentNullException.ThrowIfNull(convention);
        foreach (var builder in _builders)
        {
            builder.Add(convention);
        }
    }

    /// <inheritdoc/>
    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        ArgumentNullException.ThrowIfNull(finallyConvention);
        foreach (var builder in _builders)
        {
            builder.Finally(finallyConvention);
        }
    }
}
