using System.Globalization;
using Grpc.Core;
using Hello;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>A Greeter whose behaviour the request's name picks, for tests of statuses, headers, deadlines and limits.</summary>
public sealed class TestGreeter : Greeter.GreeterBase
{
    public static readonly byte[] BinaryTrailer = [0, 1, 2, 254, 255];

    public DateTime? LastDeadline { get; private set; }

    public TaskCompletionSource HandlerCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource HandlerStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? LastPeer { get; private set; }

    public string? LastHost { get; private set; }

    private int _running;
    private int _maxRunning;

    /// <summary>The most "slow:" or "block:" handlers that ran at the same time.</summary>
    public int MaxRunning => Volatile.Read(ref _maxRunning);

    /// <summary>The "slow:" or "block:" handlers running now.</summary>
    public int Running => Volatile.Read(ref _running);

    public override async Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        var name = request.Name;
        LastPeer = context.Peer;
        LastHost = context.Host;
        switch (name)
        {
            case "throw":
                throw new InvalidOperationException("boom");
            case "cancelled":
                throw new RpcException(new Status(StatusCode.Cancelled, "the server cancelled it"));
            case "rpc":
                throw new RpcException(new Status(StatusCode.NotFound, "no such greeting"), new Metadata { { "x-reason", "test" }, { "x-blob-bin", BinaryTrailer } });
            case "echo-headers":
                var headers = new Metadata();
                foreach (var entry in context.RequestHeaders)
                {
                    if (entry.Key.StartsWith("x-", StringComparison.Ordinal))
                    {
                        headers.Add(entry);
                    }
                }
                await context.WriteResponseHeadersAsync(headers);
                context.ResponseTrailers.Add("x-trailer", "t");
                context.ResponseTrailers.Add("x-trailer-bin", BinaryTrailer);
                return new HelloReply { Message = "headers" };
            case "big-trailers":
                context.ResponseTrailers.Add("x-big", new string('t', 40 * 1024));
                return new HelloReply { Message = "trailers" };
            case "big-detail":
                throw new RpcException(new Status(StatusCode.FailedPrecondition, new string('d', 40 * 1024)));
            case "big-headers":
                await context.WriteResponseHeadersAsync(new Metadata { { "x-big", new string('h', 40 * 1024) } });
                return new HelloReply { Message = "headers" };
            case "downstream":
                // A handler whose own outgoing call ends with it: cancelled with the handler's token, it
                // fails at once with Cancelled, on the thread that cancels the token.
                var downstream = new TaskCompletionSource();
                using (context.CancellationToken.Register(() => downstream.TrySetException(new RpcException(new Status(StatusCode.Cancelled, "the downstream call was cancelled")))))
                {
                    await downstream.Task;
                }
                return new HelloReply();
            case "wait":
                LastDeadline = context.Deadline;
                HandlerStarted.TrySetResult();
                using (context.CancellationToken.Register(() => HandlerCancelled.TrySetResult()))
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                }
                return new HelloReply();
        }
        if (name.StartsWith("slow:", StringComparison.Ordinal))
        {
            // Ignores cancellation on purpose: a handler that runs on after its call was cancelled.
            Enter();
            try
            {
                await Task.Delay(int.Parse(name[5..], CultureInfo.InvariantCulture));
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
            return new HelloReply { Message = "slow" };
        }
        if (name.StartsWith("hold:", StringComparison.Ordinal))
        {
            // "hold:<ms>:<padding>": a large request whose handler keeps it for a while.
            Enter();
            try
            {
                await Task.Delay(int.Parse(name.Split(':')[1], CultureInfo.InvariantCulture));
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
            return new HelloReply { Message = "held" };
        }
        if (name.StartsWith("block:", StringComparison.Ordinal))
        {
            // Blocks its thread (a synchronous handler doing blocking I/O), never awaits.
            Enter();
            try
            {
                Thread.Sleep(int.Parse(name[6..], CultureInfo.InvariantCulture));
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
            return new HelloReply { Message = "blocked" };
        }
        if (name.StartsWith("big:", StringComparison.Ordinal))
        {
            return new HelloReply { Message = new string('x', int.Parse(name[4..], CultureInfo.InvariantCulture)) };
        }
        return new HelloReply { Message = "Hello " + name };
    }

    private void Enter()
    {
        var running = Interlocked.Increment(ref _running);
        int max;
        while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
        {
        }
    }
}
