using Grpc.Core;
using Hello;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>
/// A Greeter that counts its calls and takes about 2 ms over each, so a call's latency is mostly
/// the server's work and a balancer comparing latencies is not swayed by scheduling noise alone.
/// </summary>
public sealed class DelayedCountingGreeter : Greeter.GreeterBase
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public override async Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _calls);
        await Task.Delay(TimeSpan.FromMilliseconds(2), context.CancellationToken);
        return new HelloReply { Message = $"Hello {request.Name}" };
    }
}
