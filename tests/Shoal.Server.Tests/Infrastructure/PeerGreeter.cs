using Grpc.Core;
using Hello;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>A Greeter that answers with what its <see cref="AuthContext"/> says about the peer.</summary>
public sealed class PeerGreeter : Greeter.GreeterBase
{
    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        var auth = context.AuthContext;
        var identity = string.Join(",", auth.PeerIdentity.Select(p => p.Value));
        var commonName = string.Join(",", auth.FindPropertiesByName("x509_common_name").Select(p => p.Value));
        var security = string.Join(",", auth.FindPropertiesByName("transport_security_type").Select(p => p.Value));
        return Task.FromResult(new HelloReply { Message = $"{auth.IsPeerAuthenticated} {auth.PeerIdentityPropertyName} {identity} cn={commonName} {security}" });
    }
}
