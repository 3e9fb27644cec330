using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Hello;
using Shoal.Transport.Native.Internal;
using Shoal.Transport.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>The client against a hand-written server, for frames Shoal's own server does not send.</summary>
public sealed class FakeServerTests
{
    [Fact]
    public async Task ServerSendsCancel_ClientCallEndsWithItsStatus()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var fake = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await socket.SendAsync(RawPeer.Frame(FrameType.Settings, FrameFlags.None, 0, []).AsMemory());
            var callId = await RawPeer.ReadUntilCallStartAsync(socket);
            var payload = new OutputBuffer();
            payload.WriteVarint((ulong)StatusCode.Aborted);
            payload.WriteString("the server gave up");
            await socket.SendAsync(RawPeer.Frame(FrameType.Cancel, FrameFlags.None, callId, payload.WrittenMemory.Span).AsMemory());
            await Task.Delay(500);
        });
        await using var connection = TestClient.Connect(new Uri($"shoal://127.0.0.1:{port}"));

        var error = await Assert.ThrowsAsync<RpcException>(() => connection.Greeter().SayHelloAsync(new HelloRequest { Name = "x" }).ResponseAsync.Within());
        await fake.Within();

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal("the server gave up", error.Status.Detail);
    }

    [Fact]
    public async Task ServerSendsGarbage_ClientFailsCallsWithUnavailable_AndReportsTransientFailure()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var fake = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await socket.SendAsync(RawPeer.Frame(FrameType.Settings, FrameFlags.None, 0, []).AsMemory());
            await RawPeer.ReadUntilCallStartAsync(socket);
            await socket.SendAsync(RawPeer.Frame((FrameType)0x66, FrameFlags.None, 0, [1, 2, 3]).AsMemory());
            await Task.Delay(500);
        });
        await using var connection = TestClient.Connect(new Uri($"shoal://127.0.0.1:{port}"), o => o.ReconnectBackoffInitial = TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<RpcException>(() => connection.Greeter().SayHelloAsync(new HelloRequest { Name = "x" }).ResponseAsync.Within());
        await fake.Within();

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.NotEqual(Shoal.Connections.ConnectionState.Ready, connection.State);
    }
}
