using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Protocol;

public sealed class FlowControlTests
{
    [Fact]
    public async Task SendWindow_CreditUsedUp_WriterWaitsUntilUpdate()
    {
        var window = new SendWindow(100);
        await window.WaitAsync(CancellationToken.None);
        window.Consume(150);

        var wait = window.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);
        window.Add(40);
        Assert.False(wait.IsCompleted);
        window.Add(20);
        await wait.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(10, window.Credit);
    }

    [Fact]
    public async Task SendWindow_Failed_WaitersGetTheError()
    {
        var window = new SendWindow(0);
        var wait = window.WaitAsync(CancellationToken.None).AsTask();

        window.Fail(new InvalidOperationException("gone"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => wait.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void ReceiveWindow_PeerPastWindowPlusOneMessage_IsAProtocolError()
    {
        var window = new ReceiveWindow(window: 100, maxMessage: 50);
        window.OnReceived(100);
        window.OnReceived(50);

        Assert.Throws<ProtocolException>(() => window.OnReceived(1));
    }

    [Fact]
    public async Task SendWindow_ConcurrentConsumesAndGrants_CountEveryByte()
    {
        var window = new SendWindow(1000);
        const int Threads = 4, Rounds = 20_000;

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                if (t % 2 == 0)
                {
                    window.Consume(3);
                }
                else
                {
                    window.Add(2);
                }
            }
        }))).Within();

        Assert.Equal(1000 + (Threads / 2 * Rounds * (2 - 3)), window.Credit);
    }

    [Fact]
    public async Task SendWindow_GrantRacingAWait_AlwaysWakesTheWaiter()
    {
        for (var round = 0; round < 2000; round++)
        {
            var window = new SendWindow(10);
            window.Consume(10);
            using var start = new Barrier(2);
            var grant = Task.Run(() =>
            {
                start.SignalAndWait();
                window.Add(5);
            });
            start.SignalAndWait();
            var wait = window.WaitAsync(CancellationToken.None).AsTask();

            await wait.Within();
            await grant.Within();
            Assert.Equal(5, window.Credit);
        }
    }

    [Fact]
    public async Task ReceiveWindow_ConcurrentReceives_AcceptExactlyWindowPlusOneMessage()
    {
        var window = new ReceiveWindow(window: 1000, maxMessage: 100);
        var accepted = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (window.TryReceive(1))
                {
                    Interlocked.Increment(ref accepted);
                }
            }
        }))).Within();

        Assert.Equal(1100, accepted);
        Assert.Equal(1100, window.Unconsumed);
    }

    [Fact]
    public async Task ReceiveWindow_ConcurrentConsumers_GrantWhatWasConsumed_LessUnderHalfAWindow()
    {
        var output = new MemoryStream();
        var writer = new FrameWriter(output, 1 << 30, e => throw e);
        var window = new ReceiveWindow(window: 1000, maxMessage: 100);
        const int Threads = 4, Messages = 5000, Size = 7;

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < Messages; i++)
            {
                while (!window.TryReceive(Size))
                {
                    Thread.Yield();
                }
                window.OnConsumed(Size, writer, 3);
            }
        }))).Within();
        await writer.DrainAsync().Within();

        var granted = WireFrames.Parse(output.ToArray())
            .Where(f => f.Type == FrameType.WindowUpdate && f.CallId == 3)
            .Sum(f => (long)BitConverter.ToUInt32(f.Payload));
        const long Consumed = (long)Threads * Messages * Size;
        Assert.InRange(granted, Consumed - 499, Consumed);
        Assert.Equal(0, window.Unconsumed);
    }
}
