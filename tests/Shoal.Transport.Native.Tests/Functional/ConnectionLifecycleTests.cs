using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Hello;
using Shoal.Client.Native.Protocol;
using Shoal.Connections;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

public sealed class ConnectionLifecycleTests
{
    [Fact]
    public async Task ClientThatStopsAnswering_IsClosedByServerKeepalive()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(200);
            o.KeepAliveTimeout = TimeSpan.FromMilliseconds(400);
        });
        using var dead = await RawPeer.ConnectAsync(server.Port);
        await dead.SendAsync(RawPeer.Preface());

        var received = await dead.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(GoAwayCode.Timeout, RawPeer.FindGoAway(received));
        await Wait.UntilAsync(() => server.Log.Count("missed its keepalive") >= 1, "the keepalive timeout was logged");
    }

    [Fact]
    public async Task ServerThatStopsAnswering_ClientKeepaliveMovesToTransientFailure()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = Task.Run(async () =>
        {
            var socket = await listener.AcceptSocketAsync();
            // Answer the preface with settings, then never read or write again.
            await socket.SendAsync(RawPeer.Frame(FrameType.Settings, FrameFlags.None, 0, []).AsMemory());
            return socket;
        });
        await using var connection = TestClient.Connect(new Uri($"shoal://127.0.0.1:{port}"), o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(200);
            o.KeepAliveTimeout = TimeSpan.FromMilliseconds(400);
            o.ReconnectBackoffInitial = TimeSpan.FromSeconds(30);
        });
        var states = new List<ConnectionState>();
        connection.StateChanged += (_, s) =>
        {
            lock (states)
            {
                states.Add(s);
            }
        };

        await connection.ConnectAsync().AsTask().Within();
        using var socket = await accepted.Within();
        await Wait.UntilAsync(() => connection.State == ConnectionState.TransientFailure || states.Contains(ConnectionState.TransientFailure), "keepalive failed the connection");

        lock (states)
        {
            Assert.Contains(ConnectionState.Ready, states);
            Assert.Contains(ConnectionState.TransientFailure, states);
        }
    }

    [Fact]
    public async Task GracefulShutdown_InFlightCallsFinish_NewCallsUnavailable_ClientDrains()
    {
        var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        await connection.ConnectAsync().AsTask().Within();
        var client = connection.Greeter();
        var draining = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.StateChanged += (_, s) =>
        {
            if (s == ConnectionState.Draining)
            {
                draining.TrySetResult();
            }
        };

        var inFlight = client.SayHelloAsync(new HelloRequest { Name = "slow:1500" }).ResponseAsync;
        await Task.Delay(200);
        var stopping = server.DisposeAsync().AsTask();
        await draining.Task.Within();
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = "new" }).ResponseAsync.Within());
        var finished = await inFlight.Within();
        await stopping.Within(TimeSpan.FromSeconds(30));

        Assert.Equal("slow", finished.Message);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        // A graceful close leaves the connection idle: it dials again only when a call needs it.
        await Wait.UntilAsync(() => connection.State is ConnectionState.Idle, "the client noticed the close");
    }

    [Fact]
    public async Task ServerRestarts_ClientReconnects_AndCallsWorkAgain()
    {
        var first = await TestServer.StartAsync();
        var port = first.Port;
        // Backoff capped at 1 s: on a busy machine the second server can take seconds to start, and the
        // default 10 s cap could leave the next dial attempt past the wait below.
        await using var connection = TestClient.Connect(first.Address, o =>
        {
            o.ReconnectBackoffInitial = TimeSpan.FromMilliseconds(50);
            o.ReconnectBackoffMax = TimeSpan.FromSeconds(1);
        });
        var client = connection.Greeter();
        await client.SayHelloAsync(new HelloRequest { Name = "one" }).ResponseAsync.Within();

        await first.DisposeAsync();
        await Wait.UntilAsync(() => connection.State != ConnectionState.Ready, "the client noticed the server left");
        var failed = await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = "down" }).ResponseAsync.Within());
        await using var second = await TestServer.StartAsync(port: port);
        // The server closed gracefully, so the connection may be idle: asking for it dials again.
        await connection.ConnectAsync().AsTask().Within();
        var reply = await client.SayHelloAsync(new HelloRequest { Name = "two" }).ResponseAsync.Within();

        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        Assert.Equal("Hello two", reply.Message);
    }

    [Fact]
    public async Task CallsInFlight_WhenTheConnectionBreaks_FailWithUnavailable()
    {
        var server = await TestServer.StartAsync(shutdownTimeout: TimeSpan.FromMilliseconds(100));
        await using var connection = TestClient.Connect(server.Address);
        await connection.ConnectAsync().AsTask().Within();

        var call = connection.Greeter().SayHelloAsync(new HelloRequest { Name = "slow:10000" }).ResponseAsync;
        await Task.Delay(200);
        await server.DisposeAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.Within());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task CallIdsRunOut_ConnectionIsReplaced_WithoutFailingCalls()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address, o => o.CallIdLimit = 5);
        var client = connection.Greeter();
        var states = new List<ConnectionState>();
        connection.StateChanged += (_, s) =>
        {
            lock (states)
            {
                states.Add(s);
            }
        };

        for (var i = 0; i < 23; i++)
        {
            var reply = await client.SayHelloAsync(new HelloRequest { Name = "n" + i }).ResponseAsync.Within();
            Assert.Equal("Hello n" + i, reply.Message);
        }
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => client.SayHelloAsync(new HelloRequest { Name = "c" + i }).ResponseAsync)).Within();
        await using (var fresh = TestClient.Connect(server.Address, o => o.CallIdLimit = 2))
        {
            // The call that uses up the ids is cancelled: the connection must still be replaced.
            await fresh.Greeter().SayHelloAsync(new HelloRequest { Name = "first" }).ResponseAsync.Within();
            using var cts = new CancellationTokenSource();
            var waiting = fresh.Greeter().SayHelloAsync(new HelloRequest { Name = "wait" }, cancellationToken: cts.Token).ResponseAsync;
            await server.Greeter.HandlerStarted.Task.Within();
            await cts.CancelAsync();
            await Assert.ThrowsAsync<RpcException>(() => waiting.Within());
            var afterCancel = await fresh.Greeter().SayHelloAsync(new HelloRequest { Name = "next" }).ResponseAsync.Within();
            Assert.Equal("Hello next", afterCancel.Message);
        }

        Assert.Equal(30, concurrent.Length);
        lock (states)
        {
            Assert.DoesNotContain(ConnectionState.TransientFailure, states);
            Assert.True(states.Count(s => s == ConnectionState.Ready) >= 4, string.Join(",", states));
        }
    }

    [Fact]
    public async Task WaitForReadyCall_WaitsForTheServerToComeUp()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var connection = TestClient.Connect(new Uri($"shoal://127.0.0.1:{port}"), o => o.ReconnectBackoffInitial = TimeSpan.FromMilliseconds(50));

        var call = connection.Greeter().SayHelloAsync(new HelloRequest { Name = "patient" }, new CallOptions().WithWaitForReady()).ResponseAsync;
        await Task.Delay(300);
        await using var server = await TestServer.StartAsync(port: port);
        var reply = await call.Within();

        Assert.Equal("Hello patient", reply.Message);
    }
}
