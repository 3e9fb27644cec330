using System.Text;
using Grpc.Core;
using Hello;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>The streaming methods for tests: progress counters for flow control, failures on request.</summary>
public sealed class TestStreams : GreeterStreams.GreeterStreamsBase
{
    private int _written;

    public int Written => Volatile.Read(ref _written);

    public TaskCompletionSource HandlerCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task SayHelloMany(ManyHellosRequest request, IServerStreamWriter<HelloReply> responseStream, ServerCallContext context)
    {
        var payload = request.Name.StartsWith("big", StringComparison.Ordinal) ? new string('x', 8 * 1024) : request.Name;
        try
        {
            for (var i = 1; i <= request.Count; i++)
            {
                await responseStream.WriteAsync(new HelloReply { Message = $"{i}:{payload}" });
                Interlocked.Increment(ref _written);
            }
        }
        finally
        {
            NoteCancellation(context);
        }
    }

    /// <summary>A client-streaming call with header <c>x-hold</c> does not read until this completes.</summary>
    public TaskCompletionSource ReleaseReads { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task<HelloReply> SayHelloToAll(IAsyncStreamReader<HelloRequest> requestStream, ServerCallContext context)
    {
        if (context.RequestHeaders.GetValue("x-hold") is not null)
        {
            await ReleaseReads.Task.WaitAsync(context.CancellationToken);
        }
        var names = new StringBuilder();
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            if (requestStream.Current.Name == "cancel")
            {
                throw new RpcException(new Status(StatusCode.Cancelled, "The server cancelled the call."));
            }
            names.Append(names.Length == 0 ? "" : ", ").Append(requestStream.Current.Name);
        }
        return new HelloReply { Message = "Hello " + names };
    }

    private int _blocked;

    /// <summary>Chat handlers that met a "block" message (each blocks its thread until <see cref="Unblock"/> completes).</summary>
    public int Blocked => Volatile.Read(ref _blocked);

    public TaskCompletionSource Unblock { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task Chat(IAsyncStreamReader<HelloRequest> requestStream, IServerStreamWriter<HelloReply> responseStream, ServerCallContext context)
    {
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken))
            {
                if (requestStream.Current.Name == "block")
                {
                    // Blocks the thread the message was delivered on (the read loop, when inline), never awaits.
                    Interlocked.Increment(ref _blocked);
                    Unblock.Task.Wait(TimeSpan.FromSeconds(30));
                }
                await responseStream.WriteAsync(new HelloReply { Message = "Hello " + requestStream.Current.Name });
            }
        }
        finally
        {
            NoteCancellation(context);
        }
    }

    // Checked when the handler exits: a registration on the token could be disposed by the handler's
    // own unwinding before its callback runs, since cancellation callbacks run one after another.
    private void NoteCancellation(ServerCallContext context)
    {
        if (context.CancellationToken.IsCancellationRequested)
        {
            HandlerCancelled.TrySetResult();
        }
    }
}
