using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Shoal.Client.Native.Internal.Client;

namespace Shoal.Transport.Native.Tests.Client;

/// <summary>
/// The read loop's brief poll before it waits for a reply (<see cref="ReceivePoll"/>, through
/// <see cref="PollingNetworkStream"/>), on real loopback sockets: a reply within the poll is found
/// by the polling thread, the poll ends when its time runs out or the peer closes, an idle
/// connection does not poll, and no more read loops poll at once than the budget allows.
/// </summary>
public sealed class ReceivePollTests
{
    private static readonly long Long = ReceivePoll.TicksOf(TimeSpan.FromSeconds(10));

    [Fact]
    public async Task WaitBriefly_BytesArriveDuringThePoll_ReturnsTrueWhenTheyCome()
    {
        var (client, server) = await PairAsync();
        using (client)
        using (server)
        {
            var poll = new ReceivePoll(1);
            _ = SendLaterAsync(server, TimeSpan.FromMilliseconds(100));

            var clock = Stopwatch.StartNew();
            Assert.True(poll.WaitBriefly(client, Long));

            Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));
            Assert.Equal(0, poll.Active);
        }
    }

    [Fact]
    public async Task WaitBriefly_NothingArrives_ReturnsFalseOnceThePollTimeIsOver()
    {
        var (client, server) = await PairAsync();
        using (client)
        using (server)
        {
            var poll = new ReceivePoll(1);

            var clock = Stopwatch.StartNew();
            Assert.False(poll.WaitBriefly(client, ReceivePoll.TicksOf(TimeSpan.FromMilliseconds(200))));

            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(200), $"the poll ended after {clock.Elapsed.TotalMilliseconds:F0} ms");
            Assert.False(poll.WaitBriefly(client, ReceivePoll.TicksOf(TimeSpan.Zero)));
        }
    }

    [Fact]
    public async Task WaitBriefly_PeerClosesDuringThePoll_ReturnsTrueSoTheReadSeesTheEnd()
    {
        var (client, server) = await PairAsync();
        using (client)
        {
            var poll = new ReceivePoll(1);
            _ = Task.Delay(100).ContinueWith(_ => server.Dispose(), TaskScheduler.Default);

            var clock = Stopwatch.StartNew();
            Assert.True(poll.WaitBriefly(client, Long));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the poll ended after {clock.Elapsed.TotalMilliseconds:F0} ms");
            Assert.Equal(0, client.Receive(new byte[1]));
        }
    }

    [Fact]
    public async Task WaitBriefly_ManyReadLoopsAtOnce_NoMoreThanTheBudgetPoll()
    {
        const int Loops = 8;
        var poll = new ReceivePoll(2);
        var pairs = new List<(Socket Client, Socket Server)>();
        for (var i = 0; i < Loops; i++)
        {
            pairs.Add(await PairAsync());
        }
        try
        {
            var most = 0;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(() =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    most = Math.Max(most, poll.Active);
                    Thread.Yield();
                }
            });
            using var start = new Barrier(Loops);
            var polled = pairs.Select(pair => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                var clock = Stopwatch.StartNew();
                poll.WaitBriefly(pair.Client, ReceivePoll.TicksOf(TimeSpan.FromMilliseconds(300)));
                return clock.Elapsed;
            }, TaskCreationOptions.LongRunning)).ToArray();
            var times = await Task.WhenAll(polled).WaitAsync(TimeSpan.FromSeconds(30));
            sampling.Cancel();
            await sampler;

            Assert.InRange(most, 1, poll.MaxPollers);
            Assert.Contains(times, t => t < TimeSpan.FromMilliseconds(300));
            Assert.Equal(0, poll.Active);
        }
        finally
        {
            foreach (var (client, server) in pairs)
            {
                client.Dispose();
                server.Dispose();
            }
        }
    }

    [Fact]
    public async Task ZeroByteRead_WhileRepliesAreExpected_CompletesOnTheReadersThreadWhenTheReplyComes()
    {
        var (client, server) = await PairAsync();
        using (server)
        {
            await using var stream = new PollingNetworkStream(client, TimeSpan.FromSeconds(10), new ReceivePoll(1)) { ExpectsBytes = () => true };
            _ = SendLaterAsync(server, TimeSpan.FromMilliseconds(100));

            var wait = stream.ReadAsync(Memory<byte>.Empty);

            Assert.True(wait.IsCompletedSuccessfully, "the wait went to the socket engine instead of polling");
            var buffer = new byte[16];
            var read = stream.ReadAsync(buffer);
            Assert.True(read.IsCompletedSuccessfully);
            Assert.Equal(3, await read);
        }
    }

    [Fact]
    public async Task ZeroByteRead_OnAnIdleConnection_WaitsForTheSocketEngineWithoutPolling()
    {
        var (client, server) = await PairAsync();
        using (server)
        {
            var poll = new ReceivePoll(1);
            await using var stream = new PollingNetworkStream(client, TimeSpan.FromSeconds(10), poll) { ExpectsBytes = () => false };

            var clock = Stopwatch.StartNew();
            var wait = stream.ReadAsync(Memory<byte>.Empty);

            Assert.False(wait.IsCompleted);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the read returned after {clock.Elapsed.TotalMilliseconds:F0} ms");
            server.Send([1, 2, 3]);
            Assert.Equal(0, await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(15)));
        }
    }

    private static async Task SendLaterAsync(Socket socket, TimeSpan delay)
    {
        await Task.Delay(delay);
        socket.Send([1, 2, 3]);
    }

    private static async Task<(Socket Client, Socket Server)> PairAsync()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accepting = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        return (client, await accepting);
    }
}
