using Grpc.Core;

namespace Hello;

/// <summary>
/// <c>hello.Greeter</c> as <c>shoal serve</c>, <c>bench</c> and <c>demo</c> host it: replies
/// <c>Hello {name}</c>, after <see cref="GreeterBehavior.Delay"/> or the call's <c>x-delay-ms</c>
/// (honouring cancellation and the deadline), or fails with the call's <c>x-fail-code</c>.
/// </summary>
internal sealed class GreeterService(GreeterBehavior? behavior = null) : Greeter.GreeterBase
{
    private readonly GreeterBehavior _behavior = behavior ?? new GreeterBehavior();

    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        var delay = GreeterHeaders.DelayOf(context) ?? _behavior.Delay;
        // The common path completes synchronously: no state machine, no extra allocation (it is what bench measures).
        return delay <= TimeSpan.Zero && GreeterHeaders.FailureOf(context) is null
            ? Task.FromResult(new HelloReply { Message = "Hello " + request.Name })
            : ReplyAfterAsync(request, context, delay);
    }

    private static async Task<HelloReply> ReplyAfterAsync(HelloRequest request, ServerCallContext context, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.CancellationToken).ConfigureAwait(false);
        }
        GreeterHeaders.ThrowIfFailureRequested(context);
        return new HelloReply { Message = "Hello " + request.Name };
    }
}
