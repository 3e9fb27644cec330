using System.Net;
using System.Net.Sockets;
using Hello;
using Shoal.Cli.Commands.Bench;
using Shoal.Cli.Commands.Bench.Scenarios;
using Shoal.Cli.Hosting;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands.Bench;

/// <summary><c>socket-echo</c>, the physical reference of a unary run: a SayHello's bytes over plain loopback TCP.</summary>
public sealed class SocketEchoTests(ShoalGreeterServer shoal) : IClassFixture<ShoalGreeterServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Server_RequestsSplitAnywhere_AnswersEachWholeOneWithExactlyOneReply()
    {
        const int request = 10, reply = 7;
        var server = SocketEchoServer.Start(request, reply, backlog: 1);
        await using (server)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(server.EndPoint).WaitAsync(Timeout);
            var requests = SocketEchoServer.Requests(request, 4);

            // Three and a half requests in odd pieces, then the rest of the fourth.
            await client.SendAsync(requests.AsMemory(0, 3));
            await client.SendAsync(requests.AsMemory(3, 22));
            await client.SendAsync(requests.AsMemory(25, 10));
            var first = await ReceiveExactlyAsync(client, 3 * reply);
            await client.SendAsync(requests.AsMemory(35, 5));
            var second = await ReceiveExactlyAsync(client, reply);

            Assert.Equal(SocketEchoServer.Replies(reply, 3), first);
            Assert.Equal(SocketEchoServer.Replies(reply, 1), second);
            // Nothing more was sent: closing our end ends the stream right there.
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await client.ReceiveAsync(new byte[1]).WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task SayHelloWireBytes_AreWhatANativeSayHelloSendsAndReceives()
    {
        var proxy = CountingProxy.Start(new Uri(shoal.Native));
        await using (proxy)
        {
            var channel = ChannelFactory.CreateShoal($"shoal://127.0.0.1:{proxy.Port}");
            await using (channel)
            {
                var client = new Greeter.GreeterClient(channel.CreateCallInvoker());
                // The first call also carries the connection's preface and settings; count the calls after it.
                await client.SayHelloAsync(new HelloRequest { Name = "world" }).ResponseAsync.WaitAsync(Timeout);
                var (sentBefore, receivedBefore) = proxy.Counts;
                const int calls = 20;
                for (var i = 0; i < calls; i++)
                {
                    await client.SayHelloAsync(new HelloRequest { Name = "world" }).ResponseAsync.WaitAsync(Timeout);
                }
                var (sent, received) = proxy.Counts;

                Assert.Equal(SocketEcho.SayHelloWireBytes("world"), ((int)(sent - sentBefore) / calls, (int)(received - receivedBefore) / calls));
                Assert.Equal(0, (sent - sentBefore) % calls);
                Assert.Equal(0, (received - receivedBefore) % calls);
            }
        }
    }

    [Fact]
    public async Task Run_SeveralConnections_CompletesCallsWithoutErrors_AndClosesItsServer()
    {
        var settings = new BenchSettings
        {
            Concurrency = 7,
            Connections = 3,
            Duration = TimeSpan.FromSeconds(1),
            Warmup = TimeSpan.FromMilliseconds(500),
            WarmupExtension = TimeSpan.Zero,
        };

        var result = await SocketEcho.RunAsync(settings, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SocketEcho.RunName, result.Name);
        Assert.True(result.Errors == 0, result.FirstError);
        Assert.True(result.Requests > 0);
        Assert.True(result.HasLatency);
        Assert.Equal(3, result.Footprint!.Connections);
        // The echo server went with the run: its port refuses connections.
        var endPoint = IPEndPoint.Parse(result.Target["tcp://".Length..]);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(endPoint).WaitAsync(Timeout));
    }

    [Fact]
    public void Report_WithASocketEcho_GivesEveryRunItsThroughputRatio()
    {
        var results = BenchReport.WithRatios(
        [
            new BenchResult { Name = BenchCommand.ShoalTcpRun, Target = "a", Rps = 30 },
            new BenchResult { Name = SocketEcho.RunName, Target = "b", Rps = 120 },
        ]);

        Assert.Equal([0.25, 1.0], results.Select(r => r.RpsVsSocketEcho!.Value));
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None).AsTask().WaitAsync(Timeout);
            Assert.True(read > 0, $"The stream ended after {filled} of {count} bytes.");
            filled += read;
        }
        return buffer;
    }

    /// <summary>A one-connection TCP relay to a server that counts the bytes each way.</summary>
    private sealed class CountingProxy : IAsyncDisposable
    {
        private readonly Socket _listener;
        private readonly Uri _server;
        private readonly List<Socket> _sockets = [];
        private readonly Task _relay;
        private long _sent;
        private long _received;

        private CountingProxy(Socket listener, Uri server)
        {
            _listener = listener;
            _server = server;
            _relay = RelayAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        /// <summary>Bytes relayed from the client to the server, and back.</summary>
        public (long Sent, long Received) Counts => (Interlocked.Read(ref _sent), Interlocked.Read(ref _received));

        public static CountingProxy Start(Uri server)
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            return new CountingProxy(listener, server);
        }

        private async Task RelayAsync()
        {
            try
            {
                var client = await _listener.AcceptAsync();
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                }
                await server.ConnectAsync(_server.Host, _server.Port);
                await Task.WhenAll(PumpAsync(client, server, true), PumpAsync(server, client, false));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Disposed.
            }
        }

        private async Task PumpAsync(Socket from, Socket to, bool toServer)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                    if (read == 0)
                    {
                        return;
                    }
                    // Counted before relaying: once a reply has reached the client, its bytes are counted.
                    Interlocked.Add(ref toServer ? ref _sent : ref _received, read);
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Disposed.
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Dispose();
            lock (_sockets)
            {
                foreach (var socket in _sockets)
                {
                    socket.Dispose();
                }
            }
            await _relay.WaitAsync(Timeout);
        }
    }
}
