using Grpc.Core;
using Hello;

namespace Shoal.Fuzzing.Infrastructure;

/// <summary>The streaming Greeter the server target dispatches to; names pick behaviours as in <see cref="FuzzGreeter"/>.</summary>
internal sealed class FuzzGreeterStreams(HandlerTracker tracker) : GreeterStreams.GreeterStreamsBase
{
    /// <summary>Most replies one server-streaming call writes (the request's count is the peer's to choose).</summary>
    public const int MaxReplies = 4;

    public override async Task SayHelloMany(ManyHellosRequest request, IServerStreamWriter<HelloReply> responseStream, ServerCallContext context)
    {
        tracker.Enter();
        try
        {
            var count = Math.Clamp(request.Count, 0, MaxReplies);
            for (var i = 0; i < count; i++)
            {
                await responseStream.WriteAsync(new HelloReply { Message = $"Hello {request.Name} #{i}" }).ConfigureAwait(false);
            }
            await FuzzGreeter.Behave(request.Name, context).ConfigureAwait(false);
        }
        finally
        {
            tracker.Exit();
        }
    }

    public override async Task<HelloReply> SayHelloToAll(IAsyncStreamReader<HelloRequest> requestStream, ServerCallContext context)
    {
        tracker.Enter();
        try
        {
            var names = new List<string>();
            while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                names.Add(requestStream.Current.Name);
                await FuzzGreeter.Behave(requestStream.Current.Name, context).ConfigureAwait(false);
            }
            return new HelloReply { Message = "Hello " + string.Join(", ", names) };
        }
        finally
        {
            tracker.Exit();
        }
    }

    public override async Task Chat(IAsyncStreamReader<HelloRequest> requestStream, IServerStreamWriter<HelloReply> responseStream, ServerCallContext context)
    {
        tracker.Enter();
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                var name = requestStream.Current.Name;
                await FuzzGreeter.Behave(name, context).ConfigureAwait(false);
                await responseStream.WriteAsync(new HelloReply { Message = "Hello " + name }).ConfigureAwait(false);
            }
        }
        finally
        {
            tracker.Exit();
        }
    }
}
