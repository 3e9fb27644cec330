using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Shoal.Client.Native.Internal.Client;

namespace Shoal.Transport.Native.Tests.Client;

/// <summary>
/// The client's receive engine (<see cref="ReceiveEngine"/>, through <see cref="EngineSocketStream"/>)
/// on real loopback sockets: a read that waits completes on the engine's thread when bytes come, a
/// zero-byte read takes nothing, the peer's end and a cancellation end a read without losing bytes,
/// a disposed stream leaves its engine, and a continuation that blocks the engine's thread does not
/// hold up the other connections.
/// </summary>
public sealed class ReceiveEngineTests : IDisposable
{
    private readonly ReceiveEngine? _engine = ReceiveEngine.CreateForTests();

    public void Dispose() => _engine?.Dispose();

    [Fact]
    public async Task Read_BytesComeLater_CompletesOnTheEnginesThread()
    {
        if (_engine is null)
        {
            Assert.False(ReceiveEngine.IsSupported);
            return;
        }
        var (client, server) = Pair();
        using (server)
        {
            await using var stream = Stream(client);
            var buffer = new byte[16];

            var read = stream.ReadAsync(buffer);
            Assert.False(read.IsCompleted);
            // Waits for the read before the bytes are sent, so its continuation is the engine's to run.
            var reading = ReadOnThreadAsync(read);
            server.Send([1, 2, 3]);
            var (count, thread) = await reading.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(3, count);
            Assert.Equal([1, 2, 3], buffer[..3]);
            Assert.Equal("shoal-native-engine", thread);
        }
    }

    [Fact]
    public async Task ZeroByteRead_WaitsForBytesWithoutTakingThem()
    {
        if (_engine is null)
        {
            return;
        }
        var (client, server) = Pair();
        using (server)
        {
            await using var stream = Stream(client);

            var wait = stream.ReadAsync(Memory<byte>.Empty);
            Assert.False(wait.IsCompleted);
            server.Send([7, 8]);
            Assert.Equal(0, await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

            var buffer = new byte[16];
            var read = stream.ReadAsync(buffer);
            Assert.True(read.IsCompletedSuccessfully, "the bytes the zero-byte read waited for were not there");
            Assert.Equal(2, await read);
        }
    }

    [Fact]
    public async Task PeerCloses_TheWaitingReadReturnsZero()
    {
        if (_engine is null)
        {
            return;
        }
        var (client, server) = Pair();
        await using var stream = Stream(client);

        var read = stream.ReadAsync(new byte[16]);
        server.Dispose();

        Assert.Equal(0, await read.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task CancelledRead_Throws_AndTheBytesThatComeAfterItAreReadNext()
    {
        if (_engine is null)
        {
            return;
        }
        var (client, server) = Pair();
        using (server)
        {
            await using var stream = Stream(client);
            using var cancellation = new CancellationTokenSource();

            var read = stream.ReadAsync(new byte[16], cancellation.Token);
            cancellation.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            server.Send([4, 5, 6]);

            var buffer = new byte[16];
            Assert.Equal(3, await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal([4, 5, 6], buffer[..3]);
        }
    }

    [Fact]
    public async Task Dispose_EndsTheWaitingRead_AndLeavesTheEngine()
    {
        if (_engine is null)
        {
            return;
        }
        var (client, server) = Pair();
        using (server)
        {
            var stream = Stream(client);
            var read = stream.ReadAsync(new byte[16]);
            Assert.Equal(1, _engine.Connections);

            await stream.DisposeAsync();

            await Assert.ThrowsAsync<ObjectDisposedException>(() => read.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(0, _engine.Connections);
        }
    }

    [Fact]
    public async Task ContinuationBlocksTheEnginesThread_AnotherThreadTakesOver_AndTheOtherConnectionsGoOn()
    {
        if (_engine is null)
        {
            return;
        }
        var (clientA, serverA) = Pair();
        var (clientB, serverB) = Pair();
        using var release = new ManualResetEventSlim();
        using (serverA)
        using (serverB)
        {
            await using var streamA = Stream(clientA);
            await using var streamB = Stream(clientB);
            // A's continuation runs on the engine's thread (synchronously) and blocks it until B's read is done.
            var blocked = streamA.ReadAsync(new byte[16]).AsTask()
                .ContinueWith(_ => release.Wait(TimeSpan.FromSeconds(30)), TaskContinuationOptions.ExecuteSynchronously);
            serverA.Send([1]);
            var readB = streamB.ReadAsync(new byte[16]);
            serverB.Send([2, 2]);

            var clock = Stopwatch.StartNew();
            Assert.Equal(2, await readB.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"B's read waited {clock.Elapsed.TotalMilliseconds:F0} ms");
            release.Set();
            Assert.True(await blocked.WaitAsync(TimeSpan.FromSeconds(10)), "A's continuation was not released");

            Assert.True(_engine.TakeOvers >= 1);
            // The engine goes on after the take-over.
            var again = streamA.ReadAsync(new byte[16]);
            serverA.Send([3, 3, 3]);
            Assert.Equal(3, await again.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }

    private EngineSocketStream Stream(Socket client) => new(client, _engine!, TimeSpan.Zero, new ReceivePoll(1));

    /// <summary>Awaits <paramref name="read"/> without returning to the test's context, and says on which thread its continuation ran.</summary>
    private static async Task<(int Count, string? Thread)> ReadOnThreadAsync(ValueTask<int> read)
    {
        var count = await read.ConfigureAwait(false);
        return (count, Thread.CurrentThread.Name);
    }

    /// <summary>A connected loopback pair; the client side is connected with a blocking call, as the transport does, so it never joins the runtime's socket engine.</summary>
    private static (Socket Client, Socket Server) Pair()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(listener.LocalEndPoint!);
        return (client, listener.Accept());
    }
}
