using System.IO.Pipelines;
using Grpc.Core;
using Hello;
using Shoal.Client.Native.Internal;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Protocol;

/// <summary>
/// A reader's wait in <see cref="InboundStream{T}.MoveNext"/> with a cancellable token: the token is
/// registered at the first wait on it and stays registered for the waits after it (until the stream
/// ends or the reader waits on another token), costs nothing per message once warm, a cancellation
/// between waits fails the next wait, and a cancellation racing with a message loses neither.
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

    [Fact]
    public async Task MoveNext_TokenCancelledDuringALaterWaitOnIt_CancelsThatWait()
    {
        using var cts = new CancellationTokenSource();
        var stream = NewStream();
        for (var i = 0; i < 3; i++)
        {
            var waiting = stream.MoveNext(cts.Token);
            Assert.True(stream.Enqueue(new HelloRequest(), 5));
            Assert.True(await waiting.Within());
        }

        var last = stream.MoveNext(cts.Token);
        Assert.False(last.IsCompleted);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => last.Within());
    }

    [Fact]
    public async Task MoveNext_TokenCancelledBetweenWaits_TheNextWaitOnItThrowsAndTheMessageStaysQueued()
    {
        using var cts = new CancellationTokenSource();
        var stream = NewStream();
        var waiting = stream.MoveNext(cts.Token);
        Assert.True(stream.Enqueue(new HelloRequest(), 5));
        Assert.True(await waiting.Within());

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.MoveNext(cts.Token));
        var message = new HelloRequest { Name = "after" };
        Assert.True(stream.Enqueue(message, 5));

        Assert.True(await stream.MoveNext(CancellationToken.None).Within());
        Assert.Same(message, stream.Current);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EndOfStream_AfterWaitsOnALongLivedToken_TheTokenNoLongerHoldsTheStream(bool failed)
    {
        using var cts = new CancellationTokenSource();
        var stream = WaitTwiceThenEnd(cts.Token, failed);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(stream.IsAlive, "the token's registration kept the ended stream alive");
        GC.KeepAlive(cts);
    }

    [Fact]
    public async Task MoveNext_ReaderOnOneTokenRacingAProducerAndACancel_KeepsOrderAndLosesNothing()
    {
        const int Messages = 200;
        for (var round = 0; round < 100; round++)
        {
            using var cts = new CancellationTokenSource();
            var stream = NewStream();
            var sent = Enumerable.Range(0, Messages).Select(i => new HelloRequest { Name = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray();
            var producer = Task.Run(() =>
            {
                foreach (var message in sent)
                {
                    Assert.True(stream.Enqueue(message, 5));
                }
                stream.Complete();
            });
            var cancelAfter = round % Messages;
            var received = new List<HelloRequest>();
            var cancelled = false;
            Task? cancel = null;
            while (true)
            {
                if (received.Count == cancelAfter && cancel is null)
                {
                    cancel = Task.Run(cts.Cancel);
                }
                bool more;
                try
                {
                    more = await stream.MoveNext(cancelled ? CancellationToken.None : cts.Token).Within();
                }
                catch (OperationCanceledException)
                {
                    // Cancelled before a message: it stays queued for the next read, on another token.
                    cancelled = true;
                    continue;
                }
                if (!more)
                {
                    break;
                }
                received.Add(stream.Current);
            }
            await producer.Within();
            await (cancel ?? Task.CompletedTask).Within();

            Assert.Equal(sent, received);
        }
    }

    private static InboundStream<HelloRequest> NewStream()
    {
        var writer = new FrameWriter(new Pipe().Writer, 1 << 20, _ => { });
        return new InboundStream<HelloRequest>(writer, 1, new ReceiveWindow(1 << 20, 1 << 20), null);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference WaitTwiceThenEnd(CancellationToken token, bool failed)
    {
        var stream = NewStream();
        for (var i = 0; i < 2; i++)
        {
            var waiting = stream.MoveNext(token);
            if (waiting.IsCompleted || !stream.Enqueue(new HelloRequest(), 5) || !waiting.Wait(Wait.Default))
            {
                throw new InvalidOperationException("MoveNext did not wait for the message.");
            }
        }
        if (failed)
        {
            stream.Fail(new InvalidOperationException("The call failed."), dropQueued: true);
        }
        else
        {
            stream.Complete();
        }
        return new WeakReference(stream);
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
