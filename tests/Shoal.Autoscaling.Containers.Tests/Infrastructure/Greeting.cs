using System.Globalization;
using Grpc.Core;
using Hello;
using Shoal.Client;
using Shoal.Tests.Containers;

namespace Shoal.Autoscaling.Containers.Tests.Infrastructure;

/// <summary>Calls a Greeter container from the host through its published native port.</summary>
public static class Greeting
{
    /// <summary>A reply and the instance that sent it (the x-instance-id trailer).</summary>
    public sealed record Reply(string Message, string? Instance);

    /// <summary>Calls <c>SayHello</c> on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <param name="port">The host port.</param>
    /// <param name="delay">How long the server waits before answering (the x-delay-ms header).</param>
    public static async Task<Reply> SayHelloAsync(int port, TimeSpan delay = default)
    {
        await using var channel = ShoalChannel.ForTarget($"shoal://127.0.0.1:{port}");
        var client = new Greeter.GreeterClient(channel);
        var headers = new Metadata();
        if (delay > TimeSpan.Zero)
        {
            headers.Add("x-delay-ms", ((int)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }
        using var call = client.SayHelloAsync(new HelloRequest { Name = "container" }, headers, DateTime.UtcNow + delay + TimeSpan.FromSeconds(10));
        var reply = await call.ResponseAsync;
        return new Reply(reply.Message, call.GetTrailers().GetValue("x-instance-id"));
    }

    /// <summary>Polls until the Greeter on <paramref name="port"/> answers, within <paramref name="timeout"/>.</summary>
    public static Task<Reply> WhenServingAsync(int port, TimeSpan timeout) =>
        Eventually.GetAsync($"the Greeter on 127.0.0.1:{port}", timeout, async () =>
        {
            try
            {
                return await SayHelloAsync(port);
            }
            catch (RpcException)
            {
                return null;
            }
        });
}
