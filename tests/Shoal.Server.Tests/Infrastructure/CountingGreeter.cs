using Grpc.Core;
using Hello;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>A Greeter that counts its calls and names its instance, to show one instance answers on both transports.</summary>
public sealed class CountingGreeter : Greeter.GreeterBase
{
    private int _calls;

    public Guid InstanceId { get; } = Guid.NewGuid();

    public int Calls => Volatile.Read(ref _calls);

    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        var call = Interlocked.Increment(ref _calls);
        return Task.FromResult(new HelloReply { Message = $"{InstanceId} {call}" });
    }
}
