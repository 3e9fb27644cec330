using System.Diagnostics;
using Grpc.Core;
using Hello;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>
/// The last hop of a chain: SayHello records the deadline it was given and then waits on its call's
/// token (bounded by <see cref="TestHost.Timeout"/>), recording how long it ran until cancelled.
/// A name of "echo" answers at once with the deadline's ticks, the <c>x-tenant</c> header and the
/// ticks of the time the call arrived instead.
/// </summary>
public sealed class CancellationProbeGreeter : Greeter.GreeterBase
{
    private readonly TaskCompletionSource<(DateTime Deadline, DateTime Arrived)> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<TimeSpan> _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The deadline the waiting call saw, and when it arrived (UTC).</summary>
    public Task<(DateTime Deadline, DateTime Arrived)> Started => _started.Task;

    /// <summary>How long the waiting call ran before its token fired.</summary>
    public Task<TimeSpan> Cancelled => _cancelled.Task;

    public override async Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        var arrived = DateTime.UtcNow;
        if (request.Name == "echo")
        {
            return new HelloReply { Message = $"{context.Deadline.Ticks}|{context.RequestHeaders.GetValue("x-tenant")}|{arrived.Ticks}" };
        }
        var running = Stopwatch.StartNew();
        _started.TrySetResult((context.Deadline, arrived));
        try
        {
            await Task.Delay(TestHost.Timeout, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            _cancelled.TrySetResult(running.Elapsed);
            throw;
        }
        return new HelloReply { Message = "not cancelled" };
    }
}
