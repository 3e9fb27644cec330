using Grpc.AspNetCore.Server;
using Grpc.Core;
using Hello;
using Microsoft.AspNetCore.Authorization;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>GreeterStreams for authenticated callers, but SayHelloMany is open to anyone (and names the caller when it knows one).</summary>
[Authorize]
public sealed class AuthorizedStreamsGreeter : GreeterStreams.GreeterStreamsBase
{
    [AllowAnonymous]
    public override async Task SayHelloMany(ManyHellosRequest request, IServerStreamWriter<HelloReply> responseStream, ServerCallContext context)
    {
        var name = context.GetHttpContext().User.Identity?.Name ?? "anonymous";
        for (var i = 1; i <= Math.Min(request.Count, 10); i++)
        {
            await responseStream.WriteAsync(new HelloReply { Message = $"Hello {request.Name} #{i} from {name}" });
        }
    }

    public override async Task<HelloReply> SayHelloToAll(IAsyncStreamReader<HelloRequest> requestStream, ServerCallContext context)
    {
        var names = new List<string>();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            names.Add(request.Name);
        }
        return new HelloReply { Message = $"Hello {string.Join(", ", names)} from {context.GetHttpContext().User.Identity?.Name}" };
    }
}
