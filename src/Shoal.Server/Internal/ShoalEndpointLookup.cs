using System.Reflection;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;

namespace Shoal.Server.Internal;

/// <summary>
/// Finds the endpoint whose metadata decides a native call: the one grpc-dotnet mapped for the
/// same method (so attributes, policies and <c>RequireAuthorization()</c> decide both ports alike).
/// When the services were not mapped, the attributes of the implementation type and method make
/// the metadata, in grpc-dotnet's order (type first), so an <c>[Authorize]</c> service never runs open.
/// </summary>
internal sealed class ShoalEndpointLookup(ShoalServiceRegistry registry)
{
    public Endpoint? Find(string fullName)
    {
        if (registry.DataSources is { } sources)
        {
            foreach (var source in sources)
            {
                foreach (var endpoint in source.Endpoints)
                {
                    if (endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc && grpc.Method.FullName == fullName)
                    {
                        return endpoint;
                    }
                }
            }
        }
        return FromAttributes(fullName);
    }

    private Endpoint? FromAttributes(string fullName)
    {
        var slash = fullName.LastIndexOf('/');
        if (slash <= 0)
        {
            return null;
        }
        var serviceName = fullName[..slash].TrimStart('/');
        var methodName = fullName[(slash + 1)..];
        var service = registry.Services.FirstOrDefault(s => s.ServiceName == serviceName);
        if (service is null)
        {
            return null;
        }
        var type = service.ImplementationType;
        var metadata = new List<object>(type.GetCustomAttributes(inherit: true));
        var method = type.GetMethods(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(m => m.Name == methodName);
        if (method is not null)
        {
            metadata.AddRange(method.GetCustomAttributes(inherit: true));
        }
        return new Endpoint(null, new EndpointMetadataCollection(metadata), fullName);
    }
}
