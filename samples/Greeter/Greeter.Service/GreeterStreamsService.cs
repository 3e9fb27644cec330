using System.Text;
using Grpc.Core;

namespace Hello;

/// <summary>One method of each streaming kind, so every call shape runs through generated code.</summary>
public sealed class GreeterStreamsService : GreeterStreams.GreeterStreamsBase
{
    public override async Task SayHelloMany(ManyHellosRequest request, IServerStreamWriter<HelloReply> responseStream, ServerCallContext context)
    {
        GreeterHeaders.ThrowIfFailureRequested(context);
        var count = request.Count == 0 ? 3 : request.Count;
        if (count < 0 || count > 1_000_000)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "count must be between 0 and 1000000."));
        }
        var delay = GreeterHeaders.DelayOf(context);
        for (var i = 1; i <= count; i++)
        {
            if (delay is { } d)
            {
                await Task.Delay(d, context.CancellationToken).ConfigureAwait(false);
            }
            await responseStream.WriteAsync(new HelloReply { Message = $"Hello {request.Name} #{i}" }).ConfigureAwait(false);
        }
    }

    public override async Task<HelloReply> SayHelloToAll(IAsyncStreamReader<HelloRequest> requestStream, ServerCallContext context)
    {
        var names = new StringBuilder();
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = requestStream.Current;
            names.Append(names.Length == 0 ? "" : ", ").Append(request.Name);
        }
        GreeterHeaders.ThrowIfFailureRequested(context);
        return new HelloReply { Message = "Hello " + names };
    }

    public override async Task Chat(IAsyncStreamReader<HelloRequest> requestStream, IServerStreamWriter<HelloReply> responseStream, ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = requestStream.Current;
            await responseStream.WriteAsync(new HelloReply { Message = "Hello " + request.Name }).ConfigureAwait(false);
        }
        GreeterHeaders.ThrowIfFailureRequested(context);
    }
}
