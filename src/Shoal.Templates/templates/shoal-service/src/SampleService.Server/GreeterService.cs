using Grpc.Core;
using SampleService.Contracts;
// An alias: a service named like its namespace (Acme.Greeter) would otherwise hide the generated class.
using GreeterContract = SampleService.Contracts.Greeter;

namespace SampleService.Server;

/// <summary>The Greeter of greeter.proto; one singleton answers on both transports.</summary>
public sealed class GreeterService : GreeterContract.GreeterBase
{
    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "name is required"));
        }
        return Task.FromResult(new HelloReply { Message = "Hello " + request.Name });
    }
}
