using Grpc.Core;

namespace Hello;

/// <summary>
/// The Greeter of hello.proto. Two request headers let tests and demos shape a call without
/// changing the contract: <c>x-delay-ms</c> waits before answering (honouring cancellation and
/// the deadline) and <c>x-fail-code</c> fails the call with that status code.
/// </summary>
public sealed class GreeterService(GreeterBehavior? behavior = null) : Greeter.GreeterBase
{
    private readonly GreeterBehavior _behavior = behavior ?? new GreeterBehavior();

    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        var delay = GreeterHeaders.DelayOf(context) ?? _behavior.Delay;
        if (delay <= TimeSpan.Zero && GreeterHeaders.FailureOf(context) is null)
        {
            // The common path completes synchronously: no state machine, no extra allocation.
            return Task.FromResult(new HelloReply { Message = "Hello " + request.Name });
        }
        return SayHelloSlowly(request, context, delay);
    }

    private static async Task<HelloReply> SayHelloSlowly(HelloRequest request, ServerCallContext context, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.CancellationToken).ConfigureAwait(false);
        }
        GreeterHeaders.ThrowIfFailureRequested(context);
        return new HelloReply { Message = "Hello " + request.Name };
    }
}
