using Grpc.Core;
using Hello;
using Shoal.Client;

namespace Shoal.Deployment.Tests.Infrastructure;

/// <summary>Calls a Greeter from the host through a Shoal channel.</summary>
public static class Greeting
{
    /// <summary>
    /// Calls <c>SayHello</c> once through <paramref name="target"/> and returns the reply's message;
    /// a <c>registry://</c> target is watched with the token in <paramref name="registryTokenFile"/>, if given.
    /// </summary>
    public static async Task<string> SayHelloAsync(string target, string name, string? registryTokenFile = null)
    {
        await using var channel = ShoalChannel.ForTarget(target, new ShoalChannelOptions { RegistryTokenFile = registryTokenFile });
        var client = new Greeter.GreeterClient(channel);
        var reply = await client.SayHelloAsync(new HelloRequest { Name = name }, deadline: DateTime.UtcNow.AddSeconds(5));
        return reply.Message;
    }

    /// <summary>Like <see cref="SayHelloAsync"/>, but null instead of an RPC failure (for polling).</summary>
    public static async Task<string?> TrySayHelloAsync(string target, string name, string? registryTokenFile = null)
    {
        try
        {
            return await SayHelloAsync(target, name, registryTokenFile);
        }
        catch (RpcException)
        {
            return null;
        }
    }
}
