using Grpc.Core;
using Hello;
using Shoal.Client;

namespace Shoal.Deployment.Tests.Infrastructure;

/// <summary>Calls a Greeter from the host through a Shoal channel.</summary>
public static class Greeting
{
    /// <summary>Calls <c>SayHello</c> once through <paramref name="target"/> and returns the reply's message.</summary>
    public static async Task<string> SayHelloAsync(string target, string name)
    {
        await using var channel = ShoalChannel.ForTarget(target);
        var client = new Greeter.GreeterClient(channel);
        var reply = await client.SayHelloAsync(new HelloRequest { Name = name }, deadline: DateTime.UtcNow.AddSeconds(5));
        return reply.Message;
    }

    /// <summary>Like <see cref="SayHelloAsync"/>, but null instead of an RPC failure (for polling).</summary>
    public static async Task<string?> TrySayHelloAsync(string target, string name)
    {
        try
        {
            return await SayHelloAsync(target, name);
        }
        catch (RpcException)
        {
            return null;
        }
    }
}
