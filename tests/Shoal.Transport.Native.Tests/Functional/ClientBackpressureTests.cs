using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Hello;
using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>The native client bounds what it queues for a server that does not read, as the server does for clients.</summary>
public sealed class ClientBackpressureTests
{
    /// <summary>
    /// A server that answers the preface (granting 2 GiB per call and no connection window) and then
    /// never reads. 300 calls of 64 KiB each (19 MB) cannot all be queued: once the sockets' buffers
    /// and the client's 64 KiB output limit are full, new calls and request writes wait until their
    /// deadline or cancellation. What reached the server is bounded by the kernel's buffers (the
    /// client socket's send buffer grows to at most 4 MiB here, the server's receive buffer is fixed
    /// at 64 KiB) plus the output limit and one message: under 8 MiB.
    /// </summary>
    [Fact]
    public async Task ServerThatDoesNotRead_CallsAndWritesWaitForRoom_UntilTheirDeadline()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = Task.Run(async () =>
        {
            var socket = await listener.AcceptSocketAsync();
            socket.ReceiveBufferSize = 64 * 1024;
            await socket.SendAsync(RawPeer.Frame(FrameType.Settings, FrameFlags.None, 0, [.. BitConverter.GetBytes((ushort)SettingId.InitialWindow), .. BitConverter.GetBytes(int.MaxValue)]).AsMemory());
            return socket;
        });
        await using var connection = TestClient.Connect(new Uri($"shoal://127.0.0.1:{port}"), o => o.MaxOutputBufferSize = 64 * 1024);
        await connection.ConnectAsync().AsTask().Within();
        using var server = await accepted.Within();
        var request = new HelloRequest { Name = new string('r', 64 * 1024) };
        var deadline = DateTime.UtcNow.AddSeconds(4);

        var calls = Enumerable.Range(0, 300).Select(_ => connection.Greeter().SayHelloAsync(request, deadline: deadline).ResponseAsync).ToList();
        using var writeCancel = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        using var stream = connection.Streams().SayHelloToAll(cancellationToken: writeCancel.Token);
        var written = 0;
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                await stream.RequestStream.WriteAsync(request);
                written++;
            }
        });
        var outcomes = await Task.WhenAll(calls.Select(async c =>
        {
            try
            {
                await c;
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        })).Within(TimeSpan.FromSeconds(30));
        var writeError = await Record.ExceptionAsync(() => writer.Within(TimeSpan.FromSeconds(30)));
        var received = await DrainAsync(server);

        Assert.All(outcomes, s => Assert.Equal(StatusCode.DeadlineExceeded, s));
        Assert.NotNull(writeError);
        Assert.InRange(written, 0, 150);
        Assert.InRange(received, 64 * 1024, 8 * 1024 * 1024);
    }

    /// <summary>Reads what the client sent until nothing more arrives for half a second (bounded).</summary>
    private static async Task<long> DrainAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        for (var i = 0; i < 10_000; i++)
        {
            using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, quiet.Token);
                if (n == 0)
                {
                    break;
                }
                total += n;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return total;
    }
}
