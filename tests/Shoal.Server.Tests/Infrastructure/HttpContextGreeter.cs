using Grpc.AspNetCore.Server;
using Grpc.Core;
using Hello;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>A Greeter without authorization metadata that answers with what its HttpContext shows.</summary>
public sealed class HttpContextGreeter : Greeter.GreeterBase
{
    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var name = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : "anonymous";
        return Task.FromResult(new HelloReply { Message = $"{http.Request.Method} {http.Request.Path} {http.Request.Headers["x-tag"]} {name}" });
    }
}
