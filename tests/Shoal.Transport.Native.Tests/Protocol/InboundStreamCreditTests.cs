using System.IO.Pipelines;
using Hello;
using Shoal.Client.Native.Internal;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Protocol;

/// <summary>
/// The flow-control credit of the messages an <see cref="InboundStream{T}"/> hands out: counted out of
/// the call's and the connection's windows in batches while more messages are queued, and all of it
/// by the time the queue is empty or dropped, so no byte of either window is lost, whatever the order
/// of reads, failures and arrivals.
/// </summary>
public sealed class InboundStreamCreditTests
{
    private const int Window = 64 * 1024;

    [Fact]
    public async Task MoveNext_QueueDrained_EveryByteIsCountedOutOfBothWindows()
    {
        var (stream, call, connection) = NewStream();
        const int Messages = 5000;
        for (var i = 0; i < Messages; i++)
        {
            Receive(stream, call, connection, new HelloRequest { Name = i.ToString() });
        }

        for (var i = 0; i < Messages; i++)
        {
            Assert.True(await stream.MoveNext(CancellationToken.None).Within());
            Assert.Equal(i.ToString(), stream.Current.Name);
        }

        Assert.Equal(0, call.Unconsumed);
        Assert.Equal(0, connection.Unconsumed);
    }

    [Fact]
    public async Task Fail_DroppingWithSomeRead_GivesTheConnectionWindowEverythingBack()
    {
        var (stream, call, connection) = NewStream();
        for (var i = 0; i < 1000; i++)
        {
            Receive(stream, call, connection, new HelloRequest { Name = "message " + i });
        }
        for (var i = 0; i < 300; i++)
        {
            Assert.True(await stream.MoveNext(CancellationToken.None).Within());
        }

        stream.Fail(new InvalidOperationException("ended"), dropQueued: true);

        Assert.Equal(0, connection.Unconsumed);
        await Assert.ThrowsAsync<InvalidOperationException>(() => stream.MoveNext(CancellationToken.None).Within());
    }

    [Fact]
    public async Task MessagesCarriedWithoutCredit_ReadBetweenGrantedOnes_AreReleasedNotGranted()
    {
        var (stream, call, connection) = NewStream();
        for (var i = 0; i < 600; i++)
        {
            var message = new HelloRequest { Name = "message " + i };
            var size = message.CalculateSize();
            call.OnReceived(size);
            Assert.True(connection.TryReceive(size));
            Assert.True(stream.Enqueue(message, size, grant: i % 3 == 0));
        }

        for (var i = 0; i < 600; i++)
        {
            Assert.True(await stream.MoveNext(CancellationToken.None).Within());
        }

        Assert.Equal(0, call.Unconsumed);
        Assert.Equal(0, connection.Unconsumed);
    }

    [Fact]
    public async Task ConcurrentReaderAndArrivals_BoundedRounds_KeepOrderLoseNothingAndGiveAllCreditBack()
    {
        for (var round = 0; round < 50; round++)
        {
            var (stream, call, connection) = NewStream();
            const int Messages = 2000;
            var fail = round % 5 == 4;
            var producer = Task.Run(() =>
            {
                for (var i = 0; i < Messages; i++)
                {
                    // As the read loop does: never past the window plus one message (the sender's credit).
                    var spin = new SpinWait();
                    while (call.Unconsumed >= Window)
                    {
                        spin.SpinOnce();
                    }
                    Receive(stream, call, connection, new HelloRequest { Name = i.ToString() });
                }
                if (fail)
                {
                    stream.Fail(new InvalidOperationException("failed after every message"), dropQueued: false);
                }
                else
                {
                    stream.Complete();
                }
            });

            var read = 0;
            var deadline = DateTime.UtcNow + Wait.Default;
            try
            {
                while (await stream.MoveNext(CancellationToken.None).Within())
                {
                    Assert.Equal(read.ToString(), stream.Current.Name);
                    read++;
                    Assert.True(DateTime.UtcNow < deadline, "the reader did not finish in time");
                }
                Assert.False(fail, "a failed stream ended without its error");
            }
            catch (InvalidOperationException e) when (fail && e.Message == "failed after every message")
            {
            }
            await producer.Within();

            Assert.Equal(Messages, read);
            Assert.Equal(0, call.Unconsumed);
            Assert.Equal(0, connection.Unconsumed);
        }
    }

    [Fact]
    public async Task ConcurrentFailDroppingWhileReading_BoundedRounds_TheConnectionWindowEndsEmpty()
    {
        for (var round = 0; round < 200; round++)
        {
            var (stream, call, connection) = NewStream();
            for (var i = 0; i < 500; i++)
            {
                Receive(stream, call, connection, new HelloRequest { Name = i.ToString() });
            }
            using var start = new Barrier(2);
            var reader = Task.Run(async () =>
            {
                start.SignalAndWait();
                var read = 0;
                try
                {
                    while (await stream.MoveNext(CancellationToken.None).Within())
                    {
                        Assert.Equal(read.ToString(), stream.Current.Name);
                        read++;
                    }
                }
                catch (InvalidOperationException)
                {
                }
                return read;
            });
            start.SignalAndWait();
            stream.Fail(new InvalidOperationException("cancelled"), dropQueued: true);

            var count = await reader.Within();
            Assert.InRange(count, 0, 500);
            Assert.Equal(0, connection.Unconsumed);
        }
    }

    private static void Receive(InboundStream<HelloRequest> stream, ReceiveWindow call, ReceiveWindow connection, HelloRequest message)
    {
        var size = message.CalculateSize();
        call.OnReceived(size);
        Assert.True(connection.TryReceive(size));
        Assert.True(stream.Enqueue(message, size));
    }

    private static (InboundStream<HelloRequest> Stream, ReceiveWindow Call, ReceiveWindow Connection) NewStream()
    {
        var writer = new FrameWriter(new Pipe().Writer, 1 << 20, _ => { });
        var call = new ReceiveWindow(Window, 1 << 20);
        var connection = new ReceiveWindow(1 << 20, 1 << 20);
        return (new InboundStream<HelloRequest>(writer, 1, call, connection), call, connection);
    }
}
