using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Hello;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;
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

    [Theory]
    [InlineData(FrameType.Cancel, FrameFlags.None)]
    [InlineData(FrameType.Trailers, FrameFlags.HasHeaders)]
    public async Task ServerEndsCallWithMalformedFrame_CallFailsInsteadOfHanging(FrameType type, FrameFlags flags)
    {
        // Found by the fuzzer: the call left the table before its frame was parsed, so the protocol
        // error that closed the connection failed every call but this one, which then waited for ever.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var fake = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await socket.SendAsync(RawPeer.Frame(FrameType.Settings, FrameFlags.None, 0, []).AsMemory());
            var callId = await ReadUntilCallStartAsync(socket);
            // Cancel: no status at all. Trailers: a headers block that claims five entries in one byte.
            byte[] payload = type == FrameType.Cancel ? [] : [5];
            await socket.SendAsync(RawPeer.Frame(type, flags, callId, payload).AsMemory());
            await Task.Delay(500);
        });
        await using var connection = TestClient.Connect(new Uri($"shoal://127.0.0.1:{port}"), o => o.ReconnectBackoffInitial = TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<RpcException>(() => connection.Greeter().SayHelloAsync(new HelloRequest { Name = "x" }).ResponseAsync.Within());
        await fake.Within();

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("malformed", error.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<uint> ReadUntilCallStartAsync(Socket socket)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory());
            if (n == 0)
            {
                throw new IOException("The client closed.");
            }
            received.AddRange(buffer.AsSpan(0, n));
            var bytes = received.ToArray();
            var offset = 0;
            while (offset + FrameHeader.Size <= bytes.Length)
            {
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
                if ((FrameType)bytes[offset + 4] == FrameType.CallStart)
                {
                    return BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8));
                }
                offset += FrameHeader.Size + length;
            }
        }
    }
}
