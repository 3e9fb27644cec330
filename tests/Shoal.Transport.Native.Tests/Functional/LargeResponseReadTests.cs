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
    [InlineData("engine")]
    [InlineData("async")]
    [InlineData("dedicated")]
    public async Task LargeResponsesOfSeveralSizes_ArriveIntact(string receive)
    {
        await using var server = await TestServer.StartAsync(o => o.MaxSendMessageSize = 8 * 1024 * KiB);
        await using var connection = Connect(server, receive, seed: 1, out _);
        var client = connection.Greeter();

        await LargeGreetings.SayEachSizeAsync(client, LargeGreetings.EdgeSizes);
    }

    [Theory]
    [InlineData("choppy")]
    [InlineData("engine")]
    [InlineData("async")]
    [InlineData("dedicated")]
    public async Task LargeAndSmallResponsesInterleavedOnOneConnection_AllArriveIntact(string receive)
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = Connect(server, receive, seed: 2, out _);
        var client = connection.Greeter();

        await LargeGreetings.InterleaveWithSmallCallsAsync(client);
    }

    [Fact]
    public async Task LargeResponse_IsReadStraightIntoItsFrame_NotThroughTheReadBuffer()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = Connect(server, "choppy", seed: 3, out var stream);
        var name = LargeGreetings.Name(1024 * KiB);

        var reply = await connection.Greeter().SayHelloAsync(new HelloRequest { Name = name }).ResponseAsync.Within();

        Assert.True(reply.Message == "Hello " + name, "the reply differs from its request");
        // The connection's read buffer is 64 KiB; the frame's own segments grow to 512 KiB.
        var largest = (await stream.Task.Within()).LargestRead;
        Assert.True(largest > 64 * KiB, $"the largest read asked for {largest} bytes");
    }

    /// <summary>Connects with the given receive path: through a <see cref="ChoppyStream"/> (reads of 1 byte to 9 KiB), Shoal's receive engine, the runtime's asynchronous socket I/O, or the dedicated receive thread.</summary>
    private static NativeClientConnection Connect(TestServer server, string receive, int seed, out TaskCompletionSource<ChoppyStream> dialed)
    {
        var stream = new TaskCompletionSource<ChoppyStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        dialed = stream;
        return TestClient.Connect(server.Address, o =>
        {
            o.MaxReceiveMessageSize = 8 * 1024 * KiB;
            o.MaxSendMessageSize = 8 * 1024 * KiB;
            o.DedicatedReceiveThread = receive == "dedicated";
            o.UseReceiveEngine = receive == "engine";
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
}
