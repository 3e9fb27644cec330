using Grpc.Core;
using Hello;

namespace Shoal.Fuzzing.Infrastructure;

/// <summary>
/// The unary Greeter the server target dispatches to. The request's name picks a behaviour, so the
/// fuzzer reaches every way a handler can end: at once, after an await, by throwing, with an
/// <see cref="RpcException"/> and trailers, after sending headers, or only when the call is cancelled.
/// </summary>
internal sealed class FuzzGreeter(HandlerTracker tracker) : Greeter.GreeterBase
{
    public override async Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        tracker.Enter();
        try
        {
            await Behave(request.Name, context).ConfigureAwait(false);
            return new HelloReply { Message = "Hello " + request.Name };
        }
        finally
        {
            tracker.Exit();
        }
    }

    /// <summary>What a handler does for a request that carries <paramref name="name"/>.</summary>
    public static async Task Behave(string name, ServerCallContext context)
    {
        if (name.StartsWith("async", StringComparison.Ordinal))
        {
            await Task.Yield();
        }
        else if (name.StartsWith("throw", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The handler failed: " + name);
        }
        else if (name.StartsWith("status", StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.NotFound, name), new Metadata { { "fuzz-trailer", name }, { "fuzz-bin", [1, 2, 3] } });
        }
        else if (name.StartsWith("headers", StringComparison.Ordinal))
        {
            var headers = new Metadata();
            foreach (var entry in context.RequestHeaders)
            {
                headers.Add(entry);
            }
            await context.WriteResponseHeadersAsync(headers).ConfigureAwait(false);
            context.ResponseTrailers.Add("fuzz-trailer", name);
        }
        else if (name.StartsWith("wait", StringComparison.Ordinal))
        {
            // Ends only through cancellation: the client's Cancel, the deadline, or the connection closing.
            await Task.Delay(Timeout.Infinite, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
