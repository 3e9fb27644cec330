using System.Text;
using Grpc.Core;

namespace Hello;

/// <summary><c>hello.GreeterStreams</c>: one method of each streaming kind, for <c>shoal demo --quick</c> and <c>shoal call</c>.</summary>
internal sealed class GreeterStreamsService : GreeterStreams.GreeterStreamsBase
{
    private const int MaxReplies = 1_000_000;

    public override async Task SayHelloMany(ManyHellosRequest request, IServerStreamWriter<HelloReply> responseStream, ServerCallContext context)
    {
        GreeterHeaders.ThrowIfFailureRequested(context);
        var count = request.Count == 0 ? 3 : request.Count;
        if (count is < 0 or > MaxReplies)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"count must be between 0 and {MaxReplies}."));
        }
        var delay = GreeterHeaders.DelayOf(context);
        for (var i = 1; i <= count; i++)
        {
            if (delay is { } pause)
            {
                await Task.Delay(pause, context.CancellationToken).ConfigureAwait(false);
            }
            await responseStream.WriteAsync(new HelloReply { Message = $"Hello {request.Name} #{i}" }).ConfigureAwait(false);
        }
    }

    public override async Task<HelloReply> SayHelloToAll(IAsyncStreamReader<HelloRequest> requestStream, ServerCallContext context)
    {
        var names = new StringBuilder();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            names.Append(names.Length == 0 ? "" : ", ").Append(request.Name);
        }
        GreeterHeaders.ThrowIfFailureRequested(context);
        return new HelloReply { Message = "Hello " + names };
    }

    public override async Task Chat(IAsyncStreamReader<HelloRequest> requestStream, IServerStreamWriter<HelloReply> responseStream, ServerCallContext context)
    {
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(new HelloReply { Message = "Hello " + request.Name }).ConfigureAwait(false);
        }
        GreeterHeaders.ThrowIfFailureRequested(context);
    }
}
