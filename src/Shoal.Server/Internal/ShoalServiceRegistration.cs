using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Shoal.Server.Internal;

/// <summary>
/// One service a Shoal host serves: its implementation type, how the native transport binds it
/// (the generated static <c>BindService(ServiceBinderBase, TBase)</c>), its descriptor for
/// reflection and health, and how grpc-dotnet maps it.
/// </summary>
internal sealed record ShoalServiceRegistration(
    Type ImplementationType,
    Action<ServiceBinderBase, object> Bind,
    Google.Protobuf.Reflection.ServiceDescriptor Descriptor,
    Func<IEndpointRouteBuilder, IEndpointConventionBuilder> MapGrpc)
{
    /// <summary>The fully qualified service name, such as <c>hello.Greeter</c>.</summary>
    public string ServiceName => Descriptor.FullName;
}
