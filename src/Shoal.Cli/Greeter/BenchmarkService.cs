using Google.Protobuf;
using Grpc.Core;

namespace Shoal.Bench;

/// <summary>
/// The benchmark service: echo, a server stream, a client stream and a ping-pong duplex stream,
/// each doing as little as possible beyond moving the bytes, so a run measures the transport.
/// </summary>
internal sealed class BenchmarkService : Benchmark.BenchmarkBase
{
    /// <summary>The largest message a subscription may ask for: the default message limit of both transports (4 MiB) less room for framing.</summary>
    public const int MaxMessageSize = 4 * 1024 * 1024 - 64;

    /// <inheritdoc/>
    public override Task<Payload> Echo(Payload request, ServerCallContext context) => Task.FromResult(request);

    /// <inheritdoc/>
    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<Payload> responseStream, ServerCallContext context)
    {
        if (request.MessageSize is < 0 or > MaxMessageSize)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, $"message_size must be between 0 and {MaxMessageSize}."));
        }
        if (request.Count < 0)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, "count must be 0 (until cancelled) or more."));
        }
        // One message object, written again and again: the serializer is the only per-message work.
        var message = new Payload { Body = ByteString.CopyFrom(new byte[request.MessageSize]) };
        var token = context.CancellationToken;
        for (long sent = 0; request.Count == 0 || sent < request.Count; sent++)
        {
            if (token.IsCancellationRequested)
            {
                return;
            }
            // No token on the write: an interceptor's writer may not take one; a cancelled call fails the write.
            try
            {
                await responseStream.WriteAsync(message).ConfigureAwait(false);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                // The client ended the subscription: the normal end of an unbounded stream.
                return;
            }
        }
    }

    /// <inheritdoc/>
    public override async Task<UploadSummary> Upload(IAsyncStreamReader<Payload> requestStream, ServerCallContext context)
    {
        long messages = 0, bytes = 0;
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            messages++;
            bytes += requestStream.Current.Body.Length;
        }
        return new UploadSummary { Messages = messages, Bytes = bytes };
    }

    /// <inheritdoc/>
    public override async Task Exchange(IAsyncStreamReader<Payload> requestStream, IServerStreamWriter<Payload> responseStream, ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(requestStream.Current).ConfigureAwait(false);
        }
    }
}
