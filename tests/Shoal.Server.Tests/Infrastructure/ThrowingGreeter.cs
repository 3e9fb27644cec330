using Grpc.Core;
using Hello;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>A Greeter whose handler throws an ordinary exception (an Unknown status).</summary>
public sealed class ThrowingGreeter : Greeter.GreeterBase
{
    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
        => throw new InvalidOperationException("greeter exploded");
}
