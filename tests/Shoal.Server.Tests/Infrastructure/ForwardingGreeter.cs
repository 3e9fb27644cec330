using Grpc.Core;
using Hello;
using Shoal.Client;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>
/// The middle hop: SayHello calls the next service through <see cref="Next"/>, passing neither
/// deadline nor token (unless <see cref="UseToken"/> asks for an explicit propagation token).
/// </summary>
public sealed class ForwardingGreeter : Greeter.GreeterBase
{
    /// <summary>The channel to the next hop, set by the test once that hop is up.</summary>
    public ShoalChannel? Next { get; set; }

    /// <summary>Pass <c>context.CreatePropagationToken()</c> explicitly.</summary>
    public bool UseToken { get; set; }

    public override async Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        var client = new Greeter.GreeterClient(Next ?? throw new InvalidOperationException("No next hop."));
        var options = UseToken ? new CallOptions(propagationToken: context.CreatePropagationToken()) : default;
        return await client.SayHelloAsync(request, options);
    }
}
