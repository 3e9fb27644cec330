using System.Net;
using System.Net.Sockets;
using Hello;
using Shoal.Client.Native;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>
/// The client reads the rest of a large response frame from the socket straight into the frame's
/// own memory; these pin that every byte lands where it belongs, whatever the reads return.
/// </summary>
public sealed class LargeResponseReadTests
{
    private const int KiB = 1024;

    [Theory]
    [InlineData("choppy")]
    [InlineData("async")]
    [InlineData("dedicated")]
    public async Task LargeResponsesOfSeveralSizes_ArriveIntact(string receive)
    {
        await using var server = await TestServer.StartAsync(o => o.MaxSendMessageSize = 8 * 1024 * KiB);
        await using var connection = Connect(server, receive, seed: 1, out _);
        var client = connection.Greeter();

        foreach (var size in new[] { (64 * KiB) - 6, (64 * KiB) + 1, 200_000, 1024 * KiB, (3 * 1024 * KiB) + 17 })
        {
            var name = Pattern(size);
            var reply = await client.SayHelloAsync(new HelloRequest { Name = name }).ResponseAsync.Within();

            Assert.True(reply.Message == "Hello " + name, $"the reply to a request of {size} characters differs from it");
        }
    }

    [Theory]
    [InlineData("choppy")]
    [InlineData("async")]
    [InlineData("dedicated")]
    public async Task LargeAndSmallResponsesInterleavedOnOneConnection_AllArriveIntact(string receive)
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = Connect(server, receive, seed: 2, out _);
        var client = connection.Greeter();

        var large = Enumerable.Range(0, 3).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 6; i++)
            {
                var name = Pattern((300 * KiB) + (caller * 1000) + i);
                var reply = await client.SayHelloAsync(new HelloRequest { Name = name }).ResponseAsync;
                Assert.True(reply.Message == "Hello " + name, $"large reply {i} of caller {caller} differs from its request");
            }
        }));
        var small = Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                var reply = await client.SayHelloAsync(new HelloRequest { Name = $"{caller}-{i}" }).ResponseAsync;
                Assert.Equal($"Hello {caller}-{i}", reply.Message);
            }
        }));

        await Task.WhenAll(large.Concat(small)).Within(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task LargeResponse_IsReadStraightIntoItsFrame_NotThroughTheReadBuffer()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = Connect(server, "choppy", seed: 3, out var stream);
        var name = Pattern(1024 * KiB);

        var reply = await connection.Greeter().SayHelloAsync(new HelloRequest { Name = name }).ResponseAsync.Within();

        Assert.True(reply.Message == "Hello " + name, "the reply differs from its request");
        // The connection's read buffer is 64 KiB; the frame's own segments grow to 512 KiB.
        var largest = (await stream.Task.Within()).LargestRead;
        Assert.True(largest > 64 * KiB, $"the largest read asked for {largest} bytes");
    }

    /// <summary>Connects with the given receive path: through a <see cref="ChoppyStream"/> (reads of 1 byte to 9 KiB), asynchronous socket I/O, or the dedicated receive thread.</summary>
    private static NativeClientConnection Connect(TestServer server, string receive, int seed, out TaskCompletionSource<ChoppyStream> dialed)
    {
        var stream = new TaskCompletionSource<ChoppyStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        dialed = stream;
        return TestClient.Connect(server.Address, o =>
        {
            o.MaxReceiveMessageSize = 8 * 1024 * KiB;
            o.MaxSendMessageSize = 8 * 1024 * KiB;
            o.DedicatedReceiveThread = receive == "dedicated";
            if (receive == "choppy")
            {
                o.StreamDialer = async (_, cancellationToken) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port), cancellationToken);
                    var choppy = new ChoppyStream(new NetworkStream(socket, ownsSocket: true), seed, maxChunk: 9 * KiB);
                    stream.TrySetResult(choppy);
                    return choppy;
                };
            }
        });
    }

    /// <summary>A period of 26 characters: a chunk lost, repeated or moved shows.</summary>
    private static string Pattern(int length) => string.Create(length, 0, (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (char)('a' + (i % 26));
        }
    });
}
