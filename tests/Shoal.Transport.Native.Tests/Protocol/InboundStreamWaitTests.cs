using System.IO.Pipelines;
using Grpc.Core;
using Hello;
using Shoal.Client.Native.Internal;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Protocol;

/// <summary>
/// A reader's wait in <see cref="InboundStream{T}.MoveNext"/> with a cancellable token: the token is
/// registered only while the reader waits, costs nothing per message once warm, and a cancellation
/// racing with a message loses neither.
/// </summary>
public sealed class InboundStreamWaitTests
{
    [Fact]
    public void MoveNext_WaitingWithACancellableToken_AllocatesNoMoreThanWithout()
    {
        using var cts = new CancellationTokenSource();
        var stream = NewStream();
        var message = new HelloRequest();
        const int Rounds = 2000;

        var without = AllocatedPerWait(stream, message, CancellationToken.None, Rounds);
        var with = AllocatedPerWait(stream, message, cts.Token, Rounds);

        Assert.True(with <= without + 8, $"a cancellable wait allocated {with:F0} B against {without:F0} B without a token");
    }

    [Fact]
    public async Task MoveNext_CancelledWhileWaiting_ThrowsAndTheNextMessageStaysQueued()
    {
        using var cts = new CancellationTokenSource();
        var stream = NewStream();

        var waiting = stream.MoveNext(cts.Token);
        Assert.False(waiting.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Within());
        var message = new HelloRequest { Name = "after" };
        Assert.True(stream.Enqueue(message, 5));

        Assert.True(await stream.MoveNext(CancellationToken.None).Within());
        Assert.Same(message, stream.Current);
    }

    [Fact]
    public async Task MoveNext_TokenOfAnEarlierWaitCancelled_LeavesTheNextWaitAlone()
    {
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var stream = NewStream();
        var waiting = stream.MoveNext(first.Token);
        Assert.True(stream.Enqueue(new HelloRequest(), 5));
        Assert.True(await waiting.Within());

        var next = stream.MoveNext(second.Token);
        first.Cancel();
        var message = new HelloRequest { Name = "second" };
        Assert.True(stream.Enqueue(message, 5));

        Assert.True(await next.Within());
        Assert.Same(message, stream.Current);
    }

    [Fact]
    public async Task MoveNext_CancelRacingAMessage_NeitherIsLost()
    {
        for (var round = 0; round < 1000; round++)
        {
            using var cts = new CancellationTokenSource();
            var stream = NewStream();
            var message = new HelloRequest();
            var waiting = stream.MoveNext(cts.Token);
            using var start = new Barrier(2);
            var cancel = Task.Run(() =>
            {
                start.SignalAndWait();
                cts.Cancel();
            });
            start.SignalAndWait();
            Assert.True(stream.Enqueue(message, 5));
            await cancel.Within();

            bool delivered;
            try
            {
                delivered = await waiting.Within();
            }
            catch (OperationCanceledException)
            {
                // Cancelled first: the message waits for the next read.
                delivered = await stream.MoveNext(CancellationToken.None).Within();
            }
            Assert.True(delivered);
            Assert.Same(message, stream.Current);
            stream.Complete();
            Assert.False(await stream.MoveNext(CancellationToken.None).Within());
        }
    }

    private static InboundStream<HelloRequest> NewStream()
    {
        var writer = new FrameWriter(new Pipe().Writer, 1 << 20, _ => { });
        return new InboundStream<HelloRequest>(writer, 1, new ReceiveWindow(1 << 20, 1 << 20), null);
    }

    /// <summary>Bytes this thread allocates per MoveNext that waits and is then completed by a message, after a warm-up.</summary>
    private static double AllocatedPerWait(InboundStream<HelloRequest> stream, HelloRequest message, CancellationToken token, int rounds)
    {
        WaitThenDeliver(stream, message, token, rounds);
        var before = GC.GetAllocatedBytesForCurrentThread();
        WaitThenDeliver(stream, message, token, rounds);
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)rounds;
    }

    private static void WaitThenDeliver(InboundStream<HelloRequest> stream, HelloRequest message, CancellationToken token, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            var next = stream.MoveNext(token);
            if (next.IsCompleted || !stream.Enqueue(message, 5))
            {
                throw new InvalidOperationException("MoveNext did not wait for the message.");
            }
            if (!next.Wait(Wait.Default))
            {
                throw new TimeoutException("The message did not complete the wait.");
            }
        }
    }
}
