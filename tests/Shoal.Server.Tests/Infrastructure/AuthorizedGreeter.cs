using Grpc.AspNetCore.Server;
using Grpc.Core;
using Hello;
using Microsoft.AspNetCore.Authorization;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>A Greeter only callers in the <c>greeter</c> role may call; it answers with the caller's name.</summary>
public sealed class AuthorizedGreeter : Greeter.GreeterBase
{
    [Authorize(Roles = "greeter")]
    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
        => Task.FromResult(new HelloReply { Message = $"Hello {request.Name} from {context.GetHttpContext().User.Identity?.Name}" });
}
